#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| election::fuzz::fuzz_scenario(data));
