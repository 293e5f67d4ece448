//! Reads an OpenStreetMap `.osm.pbf` file from memory: the blob framing, zlib, and the primitive
//! blocks' nodes and ways (https://wiki.openstreetmap.org/wiki/PBF_Format). Only what the walking
//! graph needs is kept: every located node and the node lists of walkable ways ([`crate::walk`]).
//! Every length and index is checked; malformed input is an [`Error`], never a panic.

use crate::error::Error;
use crate::proto::{self, Value};
use crate::walk::{WayTags, is_walkable};

/// The specification's limits: a blob header is at most 64 KiB, a blob at most 32 MiB.
const MAX_HEADER: usize = 64 * 1024;
const MAX_BLOB: usize = 32 * 1024 * 1024;

/// Coordinates are kept as osmium keeps them: integers in 1e-7 degrees.
pub const COORD_SCALE: f64 = 1e7;

/// What one data block holds for the walking graph.
#[derive(Debug, Default, Clone)]
pub struct Block {
    /// Located nodes, in file order; coordinates in 1e-7 degrees.
    pub node_ids: Vec<i64>,
    pub node_lon: Vec<i32>,
    pub node_lat: Vec<i32>,
    /// The node ids of the walkable ways, one after another; `way_ends[i]` ends way `i`.
    pub way_refs: Vec<i64>,
    pub way_ends: Vec<usize>,
    /// Buildings and amenities (only when asked for, see [`read_with`]).
    pub places: Vec<RawPlace>,
}

/// A node or way tagged `building` or `amenity`, as read: a node's location (1e-7 degrees), or a
/// way's node ids (located later).
#[derive(Debug, Clone, PartialEq)]
pub struct RawPlace {
    pub way: bool,
    pub id: i64,
    pub building: Option<String>,
    pub amenity: Option<String>,
    pub name: Option<String>,
    pub lon: i32,
    pub lat: i32,
    pub refs: Vec<i64>,
}

/// The tags a place keeps.
#[derive(Default)]
struct PlaceTags<'a> {
    building: Option<&'a [u8]>,
    amenity: Option<&'a [u8]>,
    name: Option<&'a [u8]>,
}

impl<'a> PlaceTags<'a> {
    fn set(&mut self, k: &[u8], v: &'a [u8]) {
        match k {
            b"building" => self.building = Some(v),
            b"amenity" => self.amenity = Some(v),
            b"name" => self.name = Some(v),
            _ => {}
        }
    }

    fn place(&self, way: bool, id: i64) -> Option<RawPlace> {
        if self.building.is_none() && self.amenity.is_none() {
            return None;
        }
        let text = |v: Option<&[u8]>| v.map(|v| String::from_utf8_lossy(v).into_owned());
        Some(RawPlace {
            way,
            id,
            building: text(self.building),
            amenity: text(self.amenity),
            name: text(self.name),
            lon: 0,
            lat: 0,
            refs: Vec::new(),
        })
    }
}

impl Block {
    pub fn ways(&self) -> impl Iterator<Item = &[i64]> {
        let mut start = 0;
        self.way_ends.iter().map(move |&end| {
            let w = &self.way_refs[start..end];
            start = end;
            w
        })
    }
}

/// One framed data blob: its byte offset in the file and its encoded body.
struct Frame<'a> {
    offset: usize,
    data: &'a [u8],
}

/// Splits the file into blobs, checking the header block. Returns the data blobs.
fn frames(buf: &[u8]) -> Result<Vec<Frame<'_>>, Error> {
    if buf.is_empty() {
        return Err(Error::NotPbf { reason: "empty file" });
    }
    let head = &buf[..buf.len().min(512)];
    let text = String::from_utf8_lossy(head);
    if text.trim_start().starts_with("<?xml") || text.trim_start().starts_with("<osm") {
        return Err(Error::NotPbf { reason: "it is OSM XML; convert it with `osmium cat FILE.osm -o FILE.osm.pbf`" });
    }
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let first = pos == 0;
        let not_pbf = |e: Error| if first { Error::NotPbf { reason: "unrecognised header" } } else { e };
        let len_bytes = buf.get(pos..pos + 4).ok_or(Error::Truncated { offset: pos })?;
        let header_len = u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        if header_len > MAX_HEADER {
            return Err(not_pbf(Error::Corrupt { block: out.len() + 1, what: "blob header longer than 64 KiB" }));
        }
        let header = buf.get(pos + 4..pos + 4 + header_len).ok_or(not_pbf(Error::Truncated { offset: pos }))?;
        let (kind, size) = blob_header(header)
            .ok_or(not_pbf(Error::Corrupt { block: out.len() + 1, what: "malformed blob header" }))?;
        if size > MAX_BLOB {
            return Err(not_pbf(Error::Corrupt { block: out.len() + 1, what: "blob larger than 32 MiB" }));
        }
        let start = pos + 4 + header_len;
        let data = buf.get(start..start + size).ok_or(Error::Truncated { offset: pos })?;
        if first {
            if kind != b"OSMHeader" {
                return Err(Error::NotPbf { reason: "the first block is not an OSMHeader" });
            }
            check_header(&decompress(data, 0)?)?;
        } else if kind == b"OSMData" {
            out.push(Frame { offset: pos, data });
        } else if kind == b"OSMHeader" {
            return Err(Error::Corrupt { block: out.len() + 1, what: "a second OSMHeader" });
        }
        // Other blob types are allowed by the format and skipped.
        pos = start + size;
    }
    Ok(out)
}

fn blob_header(b: &[u8]) -> Option<(&[u8], usize)> {
    let (mut kind, mut size) = (None, None);
    for f in proto::fields(b) {
        match f.ok()? {
            (1, Value::Bytes(t)) => kind = Some(t),
            (3, Value::Varint(s)) => size = Some(usize::try_from(s).ok()?),
            _ => {}
        }
    }
    Some((kind?, size?))
}

/// The header block's required features must all be understood.
fn check_header(b: &[u8]) -> Result<(), Error> {
    for f in proto::fields(b) {
        let (n, v) = f.map_err(|_| Error::NotPbf { reason: "unrecognised header" })?;
        if n == 4 {
            let feature = v.bytes().ok_or(Error::NotPbf { reason: "unrecognised header" })?;
            if !matches!(feature, b"OsmSchema-V0.6" | b"DenseNodes") {
                return Err(Error::Unsupported {
                    what: format!("required feature {}", String::from_utf8_lossy(feature)),
                });
            }
        }
    }
    Ok(())
}

/// A blob's content, inflated. `block` numbers the blob for error messages (0 = the header).
fn decompress(blob: &[u8], block: usize) -> Result<Vec<u8>, Error> {
    let corrupt = |what| Error::Corrupt { block, what };
    let (mut raw, mut raw_size, mut zlib) = (None, None, None);
    for f in proto::fields(blob) {
        match f.map_err(|_| corrupt("malformed blob"))? {
            (1, Value::Bytes(b)) => raw = Some(b),
            (2, Value::Varint(s)) => raw_size = Some(s as usize),
            (3, Value::Bytes(b)) => zlib = Some(b),
            (4, _) => return Err(Error::Unsupported { what: "LZMA-compressed blocks".into() }),
            (5, _) => return Err(Error::Unsupported { what: "bzip2-compressed blocks".into() }),
            (6, _) => return Err(Error::Unsupported { what: "LZ4-compressed blocks".into() }),
            (7, _) => return Err(Error::Unsupported { what: "Zstandard-compressed blocks".into() }),
            _ => {}
        }
    }
    if let Some(r) = raw {
        return Ok(r.to_vec());
    }
    let z = zlib.ok_or(corrupt("blob without data"))?;
    let size = raw_size.ok_or(corrupt("compressed blob without its raw size"))?;
    if size > MAX_BLOB {
        return Err(corrupt("blob larger than 32 MiB"));
    }
    let mut out = Vec::with_capacity(size);
    let mut d = flate2::Decompress::new(true);
    match d.decompress_vec(z, &mut out, flate2::FlushDecompress::Finish) {
        Ok(flate2::Status::StreamEnd) if out.len() == size => Ok(out),
        Ok(_) => Err(corrupt("zlib data shorter or longer than its raw size")),
        Err(_) => Err(corrupt("bad zlib data")),
    }
}

/// Decodes every data block, on up to `threads` threads, in file order: the walking graph's
/// nodes and ways only.
pub fn read(buf: &[u8], threads: usize) -> Result<Vec<Block>, Error> {
    read_with(buf, threads, false)
}

/// As [`read`]; with `places`, also the nodes and ways tagged `building` or `amenity`.
pub fn read_with(buf: &[u8], threads: usize, places: bool) -> Result<Vec<Block>, Error> {
    let frames = frames(buf)?;
    let decode = |i: usize| -> Result<Block, Error> {
        let raw = decompress(frames[i].data, i + 1)?;
        primitive_block(&raw, places).map_err(|what| Error::Corrupt { block: i + 1, what })
    };
    let threads = threads.clamp(1, frames.len().max(1));
    if threads == 1 {
        return (0..frames.len()).map(decode).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<Block, Error>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= frames.len() {
                            return mine;
                        }
                        mine.push((i, decode(i)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    results.sort_by_key(|(i, _)| *i);
    if results.len() != frames.len() {
        return Err(Error::Corrupt { block: 0, what: "a decoding thread failed" });
    }
    results.into_iter().map(|(_, r)| r).collect()
}

/// The byte offset of each data block (for messages and tests).
pub fn block_offsets(buf: &[u8]) -> Result<Vec<usize>, Error> {
    Ok(frames(buf)?.iter().map(|f| f.offset).collect())
}

struct Ctx<'a> {
    places: bool,
    strings: Vec<&'a [u8]>,
    granularity: i64,
    lat_offset: i64,
    lon_offset: i64,
}

impl<'a> Ctx<'a> {
    fn string(&self, i: u64) -> Option<&'a [u8]> {
        self.strings.get(usize::try_from(i).ok()?).copied()
    }

    /// Nanodegrees to osmium's 1e-7 degrees (integer division, as libosmium does); `None` when
    /// the value overflows or lies outside the valid range (osmium's `location.valid()`).
    #[inline]
    fn coord(&self, offset: i64, v: i64, limit: i64) -> Option<Option<i32>> {
        let nano = self.granularity.checked_mul(v)?.checked_add(offset)?;
        let c = nano / 100;
        Some(if c.abs() <= limit { Some(c as i32) } else { None })
    }
}

const LON_LIMIT: i64 = 1_800_000_000;
const LAT_LIMIT: i64 = 900_000_000;

fn primitive_block(b: &[u8], places: bool) -> Result<Block, &'static str> {
    const BAD: &str = "malformed primitive block";
    let mut ctx = Ctx { places, strings: Vec::new(), granularity: 100, lat_offset: 0, lon_offset: 0 };
    let mut groups = Vec::new();
    for f in proto::fields(b) {
        match f.map_err(|_| BAD)? {
            (1, Value::Bytes(st)) => {
                for s in proto::fields(st) {
                    if let (1, Value::Bytes(s)) = s.map_err(|_| "malformed string table")? {
                        ctx.strings.push(s);
                    }
                }
            }
            (2, Value::Bytes(g)) => groups.push(g),
            (17, Value::Varint(g)) => ctx.granularity = g as i32 as i64,
            (19, Value::Varint(o)) => ctx.lat_offset = o as i64,
            (20, Value::Varint(o)) => ctx.lon_offset = o as i64,
            _ => {}
        }
    }
    let mut out = Block::default();
    let mut scratch = Scratch::default();
    for g in groups {
        for f in proto::fields(g) {
            match f.map_err(|_| "malformed primitive group")? {
                (1, Value::Bytes(n)) => node(&ctx, n, &mut out).ok_or("malformed node")?,
                (2, Value::Bytes(d)) => dense(&ctx, d, &mut out, &mut scratch).ok_or("malformed dense nodes")?,
                (3, Value::Bytes(w)) => way(&ctx, w, &mut out, &mut scratch).ok_or("malformed way")?,
                _ => {}
            }
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Scratch {
    a: Vec<u64>,
    b: Vec<u64>,
    c: Vec<u64>,
    d: Vec<u64>,
}

fn node(ctx: &Ctx, b: &[u8], out: &mut Block) -> Option<()> {
    let (mut id, mut lat, mut lon) = (None, None, None);
    let (mut keys, mut vals) = (Vec::new(), Vec::new());
    for f in proto::fields(b) {
        match f.ok()? {
            (1, Value::Varint(v)) => id = Some(proto::zigzag(v)),
            (2, v) if ctx.places => proto::push_varints(v, &mut keys)?,
            (3, v) if ctx.places => proto::push_varints(v, &mut vals)?,
            (8, Value::Varint(v)) => lat = Some(proto::zigzag(v)),
            (9, Value::Varint(v)) => lon = Some(proto::zigzag(v)),
            _ => {}
        }
    }
    let (id, lat, lon) = (id?, lat?, lon?);
    let lat = ctx.coord(ctx.lat_offset, lat, LAT_LIMIT)?;
    let lon = ctx.coord(ctx.lon_offset, lon, LON_LIMIT)?;
    if let (Some(lat), Some(lon)) = (lat, lon) {
        out.node_ids.push(id);
        out.node_lat.push(lat);
        out.node_lon.push(lon);
        if ctx.places {
            if keys.len() != vals.len() {
                return None;
            }
            let mut tags = PlaceTags::default();
            for (k, v) in keys.iter().zip(&vals) {
                tags.set(ctx.string(*k)?, ctx.string(*v)?);
            }
            if let Some(p) = tags.place(false, id) {
                out.places.push(RawPlace { lon, lat, ..p });
            }
        }
    }
    Some(())
}

fn dense(ctx: &Ctx, b: &[u8], out: &mut Block, s: &mut Scratch) -> Option<()> {
    let (ids, lats, lons, kv) = (&mut s.a, &mut s.b, &mut s.c, &mut s.d);
    ids.clear();
    lats.clear();
    lons.clear();
    kv.clear();
    for f in proto::fields(b) {
        match f.ok()? {
            (1, v) => proto::push_varints(v, ids)?,
            (8, v) => proto::push_varints(v, lats)?,
            (9, v) => proto::push_varints(v, lons)?,
            (10, v) if ctx.places => proto::push_varints(v, kv)?,
            _ => {}
        }
    }
    // keys_vals: each node's key, value pairs, then a 0 (or nothing at all when no node has tags).
    let mut kv_pos = 0;
    if ids.len() != lats.len() || ids.len() != lons.len() {
        return None;
    }
    out.node_ids.reserve(ids.len());
    out.node_lat.reserve(ids.len());
    out.node_lon.reserve(ids.len());
    let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
    for i in 0..ids.len() {
        id = id.wrapping_add(proto::zigzag(ids[i]));
        lat = lat.checked_add(proto::zigzag(lats[i]))?;
        lon = lon.checked_add(proto::zigzag(lons[i]))?;
        let la = ctx.coord(ctx.lat_offset, lat, LAT_LIMIT)?;
        let lo = ctx.coord(ctx.lon_offset, lon, LON_LIMIT)?;
        let mut tags = PlaceTags::default();
        if ctx.places && kv_pos < kv.len() {
            loop {
                let k = *kv.get(kv_pos)?;
                kv_pos += 1;
                if k == 0 {
                    break;
                }
                let v = *kv.get(kv_pos)?;
                kv_pos += 1;
                tags.set(ctx.string(k)?, ctx.string(v)?);
            }
        }
        if let (Some(la), Some(lo)) = (la, lo) {
            out.node_ids.push(id);
            out.node_lat.push(la);
            out.node_lon.push(lo);
            if let Some(p) = tags.place(false, id) {
                out.places.push(RawPlace { lon: lo, lat: la, ..p });
            }
        }
    }
    Some(())
}

fn way(ctx: &Ctx, b: &[u8], out: &mut Block, s: &mut Scratch) -> Option<()> {
    let (keys, vals, refs) = (&mut s.a, &mut s.b, &mut s.c);
    keys.clear();
    vals.clear();
    refs.clear();
    let mut way_id = 0;
    for f in proto::fields(b) {
        match f.ok()? {
            (1, Value::Varint(v)) => way_id = v as i64,
            (2, v) => proto::push_varints(v, keys)?,
            (3, v) => proto::push_varints(v, vals)?,
            (8, v) => proto::push_varints(v, refs)?,
            _ => {}
        }
    }
    if keys.len() != vals.len() {
        return None;
    }
    let mut tags = WayTags::default();
    let mut place = PlaceTags::default();
    for (k, v) in keys.iter().zip(vals.iter()) {
        let (k, v) = (ctx.string(*k)?, ctx.string(*v)?);
        tags.set(k, v);
        place.set(k, v);
    }
    let place = if ctx.places { place.place(true, way_id) } else { None };
    // Like reference.py, a way needs two nodes to make an edge.
    let walk = is_walkable(&tags) && refs.len() >= 2;
    if !walk && place.is_none() {
        return Some(());
    }
    let mut id = 0i64;
    let ids: Vec<i64> = refs
        .iter()
        .map(|r| {
            id = id.wrapping_add(proto::zigzag(*r));
            id
        })
        .collect();
    if walk {
        out.way_refs.extend_from_slice(&ids);
        out.way_ends.push(out.way_refs.len());
    }
    if let Some(p) = place {
        out.places.push(RawPlace { refs: ids, ..p });
    }
    Some(())
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::proto::write as w;

    /// A test way: id, node refs, tags.
    pub type TestWay<'a> = (i64, Vec<i64>, Vec<(&'a str, &'a str)>);

    /// A tiny PBF writer for tests: nodes `(id, lon, lat)` in degrees and ways.
    pub fn write_pbf(nodes: &[(i64, f64, f64)], ways: &[TestWay<'_>]) -> Vec<u8> {
        let nodes: Vec<TestNode> = nodes.iter().map(|&(id, lon, lat)| (id, lon, lat, vec![])).collect();
        write_pbf_tagged(&nodes, ways)
    }

    /// A test node: id, lon, lat, tags.
    pub type TestNode<'a> = (i64, f64, f64, Vec<(&'a str, &'a str)>);

    /// As [`write_pbf`], with tagged nodes (dense `keys_vals`).
    pub fn write_pbf_tagged(nodes: &[TestNode<'_>], ways: &[TestWay<'_>]) -> Vec<u8> {
        let mut header = Vec::new();
        w::bytes(&mut header, 4, b"OsmSchema-V0.6");
        w::bytes(&mut header, 4, b"DenseNodes");
        let mut strings = vec![String::new()];
        let mut index = |s: &str| -> u64 {
            if let Some(i) = strings.iter().position(|x| x == s) {
                return i as u64;
            }
            strings.push(s.to_string());
            (strings.len() - 1) as u64
        };
        let mut dense = Vec::new();
        let (mut pid, mut plat, mut plon) = (0i64, 0i64, 0i64);
        let (mut ids, mut lats, mut lons) = (Vec::new(), Vec::new(), Vec::new());
        let mut kv = Vec::new();
        for (id, lon, lat, tags) in nodes {
            let (id, la, lo) = (*id, (lat * 1e7).round() as i64, (lon * 1e7).round() as i64);
            ids.push(w::zz(id - pid));
            lats.push(w::zz(la - plat));
            lons.push(w::zz(lo - plon));
            (pid, plat, plon) = (id, la, lo);
            for (k, v) in tags {
                kv.push(index(k));
                kv.push(index(v));
            }
            kv.push(0);
        }
        w::packed(&mut dense, 1, ids);
        w::packed(&mut dense, 8, lats);
        w::packed(&mut dense, 9, lons);
        w::packed(&mut dense, 10, kv);
        let mut group = Vec::new();
        w::bytes(&mut group, 2, &dense);
        let mut way_group = Vec::new();
        for (id, refs, tags) in ways {
            let mut m = Vec::new();
            w::uint(&mut m, 1, *id as u64);
            w::packed(&mut m, 2, tags.iter().map(|(k, _)| index(k)).collect::<Vec<_>>());
            w::packed(&mut m, 3, tags.iter().map(|(_, v)| index(v)).collect::<Vec<_>>());
            let mut prev = 0;
            w::packed(
                &mut m,
                8,
                refs.iter().map(|r| {
                    let d = w::zz(r - prev);
                    prev = *r;
                    d
                }),
            );
            w::bytes(&mut way_group, 3, &m);
        }
        let mut st = Vec::new();
        for s in &strings {
            w::bytes(&mut st, 1, s.as_bytes());
        }
        let mut block = Vec::new();
        w::bytes(&mut block, 1, &st);
        w::bytes(&mut block, 2, &group);
        w::bytes(&mut block, 2, &way_group);
        let mut file = Vec::new();
        frame(&mut file, b"OSMHeader", &header, false);
        frame(&mut file, b"OSMData", &block, true);
        file
    }

    fn frame(file: &mut Vec<u8>, kind: &[u8], body: &[u8], compress: bool) {
        let mut blob = Vec::new();
        if compress {
            use std::io::Write;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(body).unwrap();
            w::uint(&mut blob, 2, body.len() as u64);
            w::bytes(&mut blob, 3, &z.finish().unwrap());
        } else {
            w::bytes(&mut blob, 1, body);
        }
        let mut header = Vec::new();
        w::bytes(&mut header, 1, kind);
        w::uint(&mut header, 3, blob.len() as u64);
        file.extend_from_slice(&(header.len() as u32).to_be_bytes());
        file.extend_from_slice(&header);
        file.extend_from_slice(&blob);
    }

    fn sample() -> Vec<u8> {
        write_pbf(
            &[(1, 117.8, 30.9), (2, 117.801, 30.9), (3, 117.802, 30.9)],
            &[(10, vec![1, 2, 3], vec![("highway", "footway")]), (11, vec![1, 3], vec![("highway", "motorway")])],
        )
    }

    #[test]
    fn reads_nodes_and_only_walkable_ways() {
        let blocks = read(&sample(), 1).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].node_ids, [1, 2, 3]);
        assert_eq!(blocks[0].node_lon, [1_178_000_000, 1_178_010_000, 1_178_020_000]);
        assert_eq!(blocks[0].ways().collect::<Vec<_>>(), [&[1, 2, 3][..]]);
    }

    #[test]
    fn every_truncation_is_an_error_never_a_panic() {
        let file = sample();
        // A cut exactly between two blocks leaves a shorter valid file: PBF has no end marker.
        let boundary = block_offsets(&file).unwrap()[0];
        for cut in (0..file.len()).filter(|&c| c != boundary) {
            let e = read(&file[..cut], 2).unwrap_err();
            assert!(matches!(e, Error::NotPbf { .. } | Error::Truncated { .. }), "cut at {cut}: {e:?}");
        }
    }

    #[test]
    fn flipped_bytes_are_errors_never_panics() {
        let file = sample();
        for i in 0..file.len() {
            for x in [0x01u8, 0x80, 0xff] {
                let mut f = file.clone();
                f[i] ^= x;
                let _ = read(&f, 1);
            }
        }
    }

    #[test]
    fn text_and_xml_are_not_pbf() {
        assert_eq!(read(b"", 1).unwrap_err(), Error::NotPbf { reason: "empty file" });
        assert!(matches!(read(b"node_id,lon,lat\n1,2,3\n", 1), Err(Error::NotPbf { .. })));
        let xml = b"<?xml version='1.0'?><osm version='0.6'></osm>";
        assert!(read(xml, 1).unwrap_err().to_string().contains("OSM XML"));
    }
}
