// Migrations are embedded at compile time by refinery's macro; rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
