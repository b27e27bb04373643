// mimalloc: the build allocates and frees many short-lived strings on every
// thread; glibc's allocator spent a fifth of a large build zeroing pages it had
// handed back to the kernel (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dossier::cli::run()
}
