use std::time::Instant;
fn main() {
    let f = std::env::args().nth(1).unwrap();
    let e = pb::parse(&std::fs::read_to_string(&f).unwrap()).unwrap();
    let t = Instant::now();
    let prof = pb::Profile::new(&e);
    eprintln!("profile {:?}", t.elapsed());
    let ctx = pb::rules::Ctx::new(&e, &prof, pb::TieBreak::Lexicographic);
    let t = Instant::now();
    let (s, runs) = pb::rules::mes::add1_increment(&ctx);
    eprintln!("add1 s={s} runs={runs} {:?}", t.elapsed());
}
