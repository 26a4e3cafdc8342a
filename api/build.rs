//! Rebuilds the crate when the embedded front-end build (`frontend/dist`) changes, including
//! when files are added or removed (rust-embed alone does not notice new files).

fn main() {
    println!("cargo:rerun-if-changed=../frontend/dist");
    println!("cargo:rerun-if-changed=build.rs");
}
