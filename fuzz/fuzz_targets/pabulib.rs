#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pb::fuzz::fuzz_pabulib(data));
