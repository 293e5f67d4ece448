#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| web::api::open311::fuzz::fuzz_open311_form(data));
