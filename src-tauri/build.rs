//! Build script: Tauri codegen, and a rebuild whenever the embedded UI changes.

fn main() {
    // The UI is embedded at compile time: rebuild whenever `ui/dist` changes, or a new UI build
    // would ship inside an old binary.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
