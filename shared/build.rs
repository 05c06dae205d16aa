fn main() {
    // The catalogue is embedded by `include_str!` (edits are tracked); a new .ftl file is not,
    // so watch the folder too.
    println!("cargo:rerun-if-changed=locales");
}
