#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rules::fuzz::fuzz_id_numbers(data));
