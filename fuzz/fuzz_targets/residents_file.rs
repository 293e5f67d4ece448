#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| store::fuzz::fuzz_residents_file(data));
