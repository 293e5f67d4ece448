//! The deterministic generator and word lists the demo's parts share.

/// A small deterministic generator, so every demo is the same city.
pub(super) struct Lcg(pub(super) u64);
impl Lcg {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub(super) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "汪", "程", "方", "章", "江", "檀", "钱", "鲍",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "玉兰", "文", "斌", "晨", "思远", "子涵", "浩然", "雨桐",
];
pub(super) const STREETS: &[&str] = &[
    "长江路",
    "义安大道",
    "淮河路",
    "天井湖路",
    "石城路",
    "北京路",
    "人民路",
    "铜都大道",
    "翠湖路",
    "狮子山路",
    "露采路",
    "螺蛳山路",
];

pub(super) fn person(rng: &mut Lcg) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}
