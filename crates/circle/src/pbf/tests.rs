//! The PBF reader on hand-made and real blocks (its builders are shared with other modules' tests).

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
