// Re-embed the migrations whenever a file is added to or changed in them.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
