use clap::Parser;

fn main() {
    tessera::logging::init();
    let cli = tessera::cli::Cli::parse();
    std::process::exit(tessera::cli::run(cli));
}
