#![no_main]

// libfuzzer-sys aborts on any panic, through its panic hook, before an unwind can be caught. The
// code under test catches calamine's panics on a damaged workbook (as the server does), so the
// hook is emptied: a panic that escapes the target is still a crash, found by the wrapper's unwind check.
libfuzzer_sys::fuzz_target!(init: { std::panic::set_hook(Box::new(|_| {})) }, |data: &[u8]| store::fuzz::fuzz_list_xlsx(data));
