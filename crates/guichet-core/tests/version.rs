//! One version everywhere: the core's [`guichet_core::VERSION`] is the workspace's, and the
//! shell's Tauri config names none of its own (Tauri then reads the same Cargo version).

use std::path::Path;

/// The workspace root (two levels above this crate).
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

#[test]
fn the_core_version_is_the_workspace_version() {
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).unwrap()).unwrap();
    let workspace = manifest["workspace"]["package"]["version"]
        .as_str()
        .unwrap();
    assert_eq!(guichet_core::VERSION, workspace);
    assert_eq!(
        guichet_core::version::receipt_line(workspace),
        format!("Guichet {workspace}")
    );
}

#[test]
fn every_crate_and_the_tauri_config_take_the_workspace_version() {
    for dir in [
        "crates/guichet-core",
        "crates/guichetctl",
        "crates/guichet-sandbox",
        "src-tauri",
    ] {
        let manifest: toml::Value =
            toml::from_str(&std::fs::read_to_string(root().join(dir).join("Cargo.toml")).unwrap())
                .unwrap();
        assert_eq!(
            manifest["package"]["version"]["workspace"].as_bool(),
            Some(true),
            "{dir}/Cargo.toml must say version.workspace = true"
        );
    }
    let conf: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("src-tauri/tauri.conf.json")).unwrap(),
    )
    .unwrap();
    assert!(
        conf.get("version").is_none(),
        "tauri.conf.json must not name a version: Tauri reads Cargo's"
    );
}
