//! What can be wrong with an extract or a facility, said in Chinese and English.

use rules::Msg;

/// Why an extract could not be read or a facility could not be placed on the walking graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The file does not start like an OSM PBF file (an XML `.osm`, a text file, an image…).
    NotPbf { reason: &'static str },
    /// The file ends inside a block: cut short by a download or a copy.
    Truncated { offset: usize },
    /// A block that cannot be decoded (bad compression, malformed message).
    Corrupt { block: usize, what: &'static str },
    /// A feature this reader does not handle (a required feature, a compression).
    Unsupported { what: String },
    /// The file holds no walkable way with located nodes.
    NoWalkingGraph,
    /// A facility's node id is not a node of the walking graph.
    UnknownNode { id: i64 },
    /// A longitude/latitude pair that is not WGS 84 degrees (projected metres, or not a number).
    NotDegrees { lon: f64, lat: f64 },
    /// A longitude/latitude pair whose swap falls on the network while itself does not.
    Swapped { lon: f64, lat: f64 },
    /// A point farther from the walking graph than the snapping limit.
    OffNetwork { lon: f64, lat: f64, dist_m: f64, limit_m: f64 },
}

impl Error {
    pub fn msg(&self) -> Msg {
        match self {
            Error::NotPbf { reason } => Msg::new(
                format!("不是 OpenStreetMap PBF 文件（{}）", zh_reason(reason)),
                format!("not an OpenStreetMap PBF file ({reason})"),
            ),
            Error::Truncated { offset } => Msg::new(
                format!("文件不完整：在第 {offset} 字节处的数据块未结束就到了文件末尾"),
                format!("the file is truncated: the block at byte {offset} runs past the end of the file"),
            ),
            Error::Corrupt { block, what } => Msg::new(
                format!("文件已损坏：第 {block} 个数据块无法解码（{what}）"),
                format!("the file is corrupt: block {block} cannot be decoded ({what})"),
            ),
            Error::Unsupported { what } => {
                Msg::new(format!("不支持的 PBF 特性：{what}"), format!("unsupported PBF feature: {what}"))
            }
            Error::NoWalkingGraph => Msg::new(
                "文件中没有可步行的道路（没有带 highway 标签且有坐标的路段）",
                "the file holds no walkable way (no highway way with located nodes)",
            ),
            Error::UnknownNode { id } => {
                Msg::new(format!("节点 {id} 不在步行路网中"), format!("node {id} is not a node of the walking graph"))
            }
            Error::NotDegrees { lon, lat } => Msg::new(
                format!("坐标 ({lon}, {lat}) 不是 WGS 84 经纬度（度）：像是投影坐标（米）或其他坐标系"),
                format!(
                    "coordinates ({lon}, {lat}) are not WGS 84 longitude/latitude in degrees: projected metres or another system?"
                ),
            ),
            Error::Swapped { lon, lat } => Msg::new(
                format!("坐标 ({lon}, {lat}) 的经度和纬度似乎写反了：列应为 lon（经度）、lat（纬度）"),
                format!("coordinates ({lon}, {lat}) look swapped: the columns must be lon (longitude), lat (latitude)"),
            ),
            Error::OffNetwork { lon, lat, dist_m, limit_m } => Msg::new(
                format!(
                    "位置 ({lon}, {lat}) 距最近的步行路网节点 {dist_m:.0} 米，超过 {limit_m:.0} 米：不在路网范围内"
                ),
                format!(
                    "the point ({lon}, {lat}) is {dist_m:.0} m from the nearest walking-graph node, more than {limit_m:.0} m: off the network"
                ),
            ),
        }
    }
}

fn zh_reason(en: &str) -> &'static str {
    match en {
        "empty file" => "空文件",
        "it is OSM XML; convert it with `osmium cat FILE.osm -o FILE.osm.pbf`" => {
            "这是 OSM XML 文件，请先用 `osmium cat FILE.osm -o FILE.osm.pbf` 转换"
        }
        "the first block is not an OSMHeader" => "第一个数据块不是 OSMHeader",
        _ => "文件头无法识别",
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.msg())
    }
}

impl std::error::Error for Error {}
