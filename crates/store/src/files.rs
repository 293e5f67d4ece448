//! Uploaded files (case attachments, claim vouchers) are taken by what their
//! bytes are, never by the type or name the sender declares: PDF, JPEG and
//! PNG only, so nothing a browser would run (HTML, SVG) is ever stored or
//! served back. Uploaded workbooks are read by calamine behind [`calamine_guard`].

/// Runs calamine on an uploaded workbook. A malformed file can make calamine panic (the fuzzer
/// found a cell reference whose column overflows); that is an unreadable file, not a crash.
pub(crate) fn calamine_guard<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// The type a file's first bytes say it is, if it is one of the types taken.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pdf_jpeg_and_png_are_taken_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.4 x"), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        for bad in [
            &b"<html><script>alert(1)</script>"[..],
            &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            &b""[..],
            &b" %PDF-"[..],
        ] {
            assert_eq!(sniff(bad), None);
        }
    }
}
