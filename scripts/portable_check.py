#!/usr/bin/env python3
"""Shows that the release build is a portable build (part of `make test-portable`).

A second build with `-target-cpu x86-64` would cost as much as the first (about ten minutes)
and produce the same code, because that is already the compilers' default. So instead:

1. the compilers' defaults: swiftc and clang, given no CPU, target baseline x86-64;
2. Package.swift and the Makefile pass no -target-cpu / -march / -mavx anywhere;
3. every object file of the project's own modules uses only baseline x86-64 instructions
   (SSE2 at most), except the two CLodeKernels files that are compiled for AVX2 and AVX-512 and
   reached only through the cpuid check in Dispatch.c;
4. the C kernels compile for aarch64, where the x86 paths must drop out (no AVX symbol is
   referenced from the aarch64 Dispatch.o).

With these, running the numeric tests under LODE_CPU=portable (the Makefile's next step) runs
exactly the code a CPU without AVX would run. OpenBLAS and the Swift runtime are the system's
and choose their own kernels at run time.

    scripts/portable_check.py [BUILD_DIR]     # BUILD_DIR: swift build -c release --show-bin-path
"""
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Object files allowed to hold AVX: the dispatched paths, chosen only when cpuid says the CPU has them.
DISPATCHED = {"PathAVX2.c.o", "PathAVX512.c.o"}
# Mnemonics beyond baseline x86-64 (SSE, SSE2, x87, integer). Every VEX/EVEX instruction (AVX,
# AVX2, FMA, AVX-512) starts with "v"; the others are SSE3 to SSE4.2, BMI, LZCNT, POPCNT, F16C.
LATER = re.compile(r"^(v[a-z0-9]+|k[a-z]+[bwdq]|addsubp[sd]|haddp[sd]|hsubp[sd]|lddqu|movddup|movs[hl]dup|"
                   r"pshufb|palignr|pabs[bwd]|psign[bwd]|phadd[a-z]*|phsub[a-z]*|pmaddubsw|pmulhrsw|"
                   r"round[sp][sd]|blendv?p[sd]|pblend[a-z]*|insertps|extractps|pinsr[bdq]|pextr[bdq]|"
                   r"pmul[dl]d|pmulld|ptest|pmin[su][bwd]|pmax[su][bwd]|pmov[sz]x[a-z]*|packusdw|pcmpeqq|"
                   r"pcmpgtq|dpp[sd]|mpsadbw|phminposuw|movntdqa|pcmp[ei]str[im]|crc32[a-z]*|popcnt|lzcnt|"
                   r"andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|movbe)$")
# tzcnt is `rep bsf`: a CPU without BMI runs it as bsf, the same for the non-zero inputs
# compilers emit it for, so it is baseline-safe and allowed.


def fail(message):
    print(f"portable check: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def run(*command, **options):
    return subprocess.run(command, capture_output=True, text=True, **options)


def check_compiler_defaults():
    """swiftc and clang, given no CPU, compile for baseline x86-64."""
    with tempfile.TemporaryDirectory() as folder:
        source = pathlib.Path(folder) / "probe.swift"
        source.write_text("public func twice(_ x: Float) -> Float { x * 2 }\n")
        ir = run("swiftc", "-O", "-emit-ir", "-parse-as-library", str(source))
        if ir.returncode != 0:
            fail(f"swiftc -emit-ir: {ir.stderr.strip()}")
        cpus = set(re.findall(r'"target-cpu"="([^"]+)"', ir.stdout))
        if cpus != {"x86-64"}:
            fail(f"swiftc's default target CPU is {sorted(cpus)}, not x86-64")
        c_source = pathlib.Path(folder) / "probe.c"
        c_source.write_text("float twice(float x) { return x * 2; }\n")
        clang = run("clang", "-###", "-O2", "-c", str(c_source), "-o", str(pathlib.Path(folder) / "probe.o"))
        match = re.search(r'"-target-cpu" "([^"]+)"', clang.stderr)
        if not match or match.group(1) != "x86-64":
            fail(f"clang's default target CPU is {match.group(1) if match else 'not shown'}, not x86-64")
    print("compilers: swiftc and clang default to target CPU x86-64")


def check_no_cpu_flags():
    """No build file asks for a CPU or instruction set (the kernels' target attributes do, per path)."""
    flags = re.compile(r"target-cpu|-march=|-mcpu=|-mavx|-mfma")
    for name in ["Package.swift", "Makefile"]:
        for number, line in enumerate((ROOT / name).read_text().splitlines(), 1):
            if flags.search(line) and not line.lstrip().startswith(("//", "#")):
                fail(f"{name}:{number} sets a CPU flag: {line.strip()}")
    print("build files: no -target-cpu, -march, -mcpu or -mavx")


def project_objects(build):
    """The objects of the current sources of the project's own modules (stale objects of files
    since removed may linger in .build and are not part of the program)."""
    objects = []
    for module in sorted((ROOT / "Sources").iterdir()):
        folder = build / f"{module.name}.build"
        if not folder.is_dir() or module.name.endswith("Fuzz"):
            continue
        for source in list(module.rglob("*.swift")) + list(module.rglob("*.c")):
            obj = folder / (source.name + ".o")
            if not obj.is_file():
                fail(f"no object {obj} for {source.relative_to(ROOT)}: build first (swift build -c release)")
            objects.append(obj)
    return objects


def check_instructions(build):
    """Only baseline x86-64 instructions outside the dispatched AVX paths."""
    objects = project_objects(build)
    if len(objects) < 20:
        fail(f"only {len(objects)} object files under {build}: build first (swift build -c release)")
    seen_dispatched = 0
    for obj in objects:
        listing = run("objdump", "-d", "--no-show-raw-insn", str(obj))
        if listing.returncode != 0:
            fail(f"objdump {obj}: {listing.stderr.strip()}")
        later = {}
        for line in listing.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0].rstrip().endswith(":"):
                continue
            mnemonic = parts[1].split()[0] if parts[1].split() else ""
            if LATER.match(mnemonic) or "%ymm" in line or "%zmm" in line:
                later[mnemonic] = later.get(mnemonic, 0) + 1
        if obj.name in DISPATCHED:
            seen_dispatched += bool(later)
            continue
        if later:
            top = ", ".join(f"{m} ×{n}" for m, n in sorted(later.items(), key=lambda kv: -kv[1])[:8])
            fail(f"{obj.relative_to(build)} uses instructions beyond baseline x86-64: {top}")
    if seen_dispatched != len(DISPATCHED):
        fail("the AVX2/AVX-512 kernel objects hold no AVX instructions: is the scan reading the right build?")
    print(f"instructions: {len(objects) - len(DISPATCHED)} object files use baseline x86-64 only; "
          f"AVX only in {', '.join(sorted(DISPATCHED))} (chosen by cpuid)")


def check_aarch64():
    """The C kernels compile for aarch64, where only the portable path is referenced."""
    clang = shutil.which("clang")
    include = pathlib.Path("/usr/aarch64-linux-gnu/include")
    if not include.is_dir():
        fail("no aarch64 C headers: install libc6-dev-arm64-cross (make deps-debian does)")
    kernels = ROOT / "Sources" / "CLodeKernels"
    with tempfile.TemporaryDirectory() as folder:
        for source in sorted(kernels.glob("*.c")):
            out = pathlib.Path(folder) / (source.name + ".o")
            compiled = run(clang, "--target=aarch64-linux-gnu", "-isystem", str(include), "-O2", "-Wall", "-Werror",
                           "-I", str(kernels / "include"), "-c", str(source), "-o", str(out))
            if compiled.returncode != 0:
                fail(f"{source.name} does not compile for aarch64:\n{compiled.stderr}")
        kind = run("readelf", "-h", str(pathlib.Path(folder) / "Dispatch.c.o")).stdout
        if not re.search(r"Machine:\s+AArch64", kind):
            fail(f"Dispatch.c.o is not an aarch64 object: {kind.strip()}")
        undefined = run("nm", "-u", str(pathlib.Path(folder) / "Dispatch.c.o")).stdout
        if "avx" in undefined or "lode_exp_portable" not in undefined:
            fail(f"aarch64 Dispatch.o should call only the portable path:\n{undefined}")
    print("aarch64: CLodeKernels compiles (-Wall -Werror) and dispatches to the portable path only")


def main():
    if platform.machine() != "x86_64":
        print(f"portable check: nothing to prove on {platform.machine()} (the build is native there)")
        return
    build = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".build" / "release"
    check_compiler_defaults()
    check_no_cpu_flags()
    check_instructions(build)
    check_aarch64()


if __name__ == "__main__":
    main()
