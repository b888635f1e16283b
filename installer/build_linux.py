#!/usr/bin/env python3
"""Build the Linux package: the PyInstaller bundle, then a Debian package of it.

    python installer/build_linux.py [--out DIR] [--bundle DIR] [--work DIR]

Run it with the project's virtual environment (PyInstaller must be installed there); it prints
the path of the .deb. ``--bundle`` packs an existing PyInstaller output folder (the one holding
``sfa-desktop``, ``sfa`` and ``_internal``) instead of building it again.

The package installs

    /opt/sfa-desktop/                          the bundle (sfa-desktop, sfa, _internal/)
    /usr/bin/sfa-desktop, /usr/bin/sfa         relative symlinks into /opt/sfa-desktop
    /usr/share/applications/sfa-desktop.desktop
    /usr/share/icons/hicolor/scalable/apps/sfa-desktop.svg
    /usr/share/doc/sfa-desktop/                the fonts' licence

Its ``Depends`` are derived from the bundle: every shared library a bundled binary needs that
the bundle does not hold (``ldd``) is mapped to its Debian package with ``dpkg -S``; libraries
missing on the build machine (Qt's xcb plugin needs several) come from ``MISSING_LIBRARY_PACKAGES``
below, and the build stops on one that is in neither, so a Qt upgrade cannot silently add an
unmet dependency. ``libc6`` gets the minimum version the binaries' glibc symbols need.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "sfa.spec"
PACKAGE = "sfa-desktop"
INSTALL_DIR = f"opt/{PACKAGE}"
EXECUTABLES = ("sfa-desktop", "sfa")
MAINTAINER = "SFA Desktop maintainers <sfa-desktop@example.com>"

#: Debian packages of the libraries the bundle needs but the build machine may lack (Qt's xcb
#: platform plugin and its GL integration). Found with ``ldd`` on the bundled Qt libraries; on
#: Debian 12 / Ubuntu 22.04+ these are the package names.
MISSING_LIBRARY_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxcb.so.1": "libxcb1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
}
#: Always depended on, whatever the build machine: what the xcb platform plugin loads at run time
#: (dlopen, invisible to ldd) and what the app needs to start in a desktop session.
BASE_DEPENDS = ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libgl1", "libfontconfig1")

DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=SFA Desktop
GenericName=Sales force automation
GenericName[es]=Automatización de la fuerza de ventas
Comment=Accounts, visits, opportunities and quotes, also offline
Comment[es]=Cuentas, visitas, oportunidades y presupuestos, también sin conexión
Exec=sfa-desktop
Icon=sfa-desktop
Terminal=false
Categories=Office;
Keywords=CRM;sales;quotes;visits;
StartupWMClass=sfa-desktop
"""


def say(text: str) -> None:
    print(f"build_linux: {text}", file=sys.stderr, flush=True)


def project_version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"])


def run_pyinstaller(work: Path) -> Path:
    """Build the one-folder bundle into ``work/dist``; returns the bundle folder."""
    dist = work / "dist"
    env = dict(os.environ)
    # the tree being built, even when the environment has the package installed elsewhere
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work / "build"),
        str(SPEC),
    ]
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    return dist / PACKAGE


# --- what the bundle links against -------------------------------------------------------------


def elf_files(bundle: Path) -> Iterator[Path]:
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    yield path


def system_libraries(bundle: Path) -> tuple[dict[str, str], set[str]]:
    """({soname: path} of system libraries the bundle uses, sonames found nowhere)."""
    files = list(elf_files(bundle))
    bundled = {path.name for path in bundle.rglob("*.so*")}
    library_dirs = sorted({str(path.parent) for path in files})
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(library_dirs)}
    found: dict[str, str] = {}
    missing: set[str] = set()
    line_pattern = re.compile(r"^\s*(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))")
    for batch in _batches(files, 50):
        output = subprocess.run(
            ["ldd", *map(str, batch)], capture_output=True, text=True, env=env, check=False
        ).stdout
        for line in output.splitlines():
            match = line_pattern.match(line)
            if match is None or match.group(1) in bundled:
                continue
            if match.group(2) == "not found":
                missing.add(match.group(1))
            elif bundle not in Path(match.group(3)).parents:
                found[match.group(1)] = match.group(3)
    return found, missing


def _batches(items: list[Path], size: int) -> Iterable[list[Path]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def owning_packages(paths: Iterable[str]) -> dict[str, str]:
    """{path: Debian package} for the paths dpkg knows (following /lib → /usr/lib)."""
    owners: dict[str, str] = {}
    for path in sorted(set(paths)):
        candidates = {path, os.path.realpath(path)}
        candidates |= {c.replace("/usr/lib/", "/lib/", 1) for c in list(candidates)}
        candidates |= {c.replace("/lib/", "/usr/lib/", 1) for c in list(candidates)}
        for candidate in sorted(candidates):
            done = subprocess.run(
                ["dpkg", "-S", candidate], capture_output=True, text=True, check=False
            )
            if done.returncode == 0:
                owners[path] = done.stdout.split(":", 1)[0].strip()
                break
    return owners


def minimum_glibc(bundle: Path) -> str | None:
    """The newest ``GLIBC_2.x`` symbol version any bundled binary needs."""
    newest: tuple[int, ...] = ()
    for batch in _batches(list(elf_files(bundle)), 100):
        output = subprocess.run(
            ["objdump", "-T", *map(str, batch)], capture_output=True, text=True, check=False
        ).stdout
        for version in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", output):
            newest = max(newest, tuple(int(part) for part in version.split(".")))
    return ".".join(map(str, newest)) or None


def debian_depends(bundle: Path) -> list[str]:
    """The ``Depends`` entries of the bundle (sorted, ``libc6`` versioned)."""
    found, missing = system_libraries(bundle)
    owners = owning_packages(found.values())
    unknown = sorted(
        soname
        for soname, path in found.items()
        if path not in owners and soname not in MISSING_LIBRARY_PACKAGES
    )
    unknown += sorted(soname for soname in missing if soname not in MISSING_LIBRARY_PACKAGES)
    if unknown:
        raise SystemExit(
            "build_linux: no Debian package known for "
            + ", ".join(unknown)
            + ": add them to MISSING_LIBRARY_PACKAGES in installer/build_linux.py"
        )
    packages = set(owners.values()) | set(BASE_DEPENDS)
    packages |= {MISSING_LIBRARY_PACKAGES[soname] for soname in missing}
    packages |= {
        MISSING_LIBRARY_PACKAGES[soname] for soname, path in found.items() if path not in owners
    }
    packages.discard("libc6")
    glibc = minimum_glibc(bundle)
    return [*sorted(packages), f"libc6 (>= {glibc})" if glibc else "libc6"]


# --- the package -------------------------------------------------------------------------------


def stage(bundle: Path, root: Path) -> None:
    """Lay the package's files out under ``root``."""
    if root.exists():
        shutil.rmtree(root)
    target = root / INSTALL_DIR
    shutil.copytree(bundle, target, symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    for name in EXECUTABLES:
        (usr_bin / name).symlink_to(Path("..", "..", INSTALL_DIR, name))
    applications = root / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{PACKAGE}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icons = root / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copyfile(ROOT / "resources" / "icons" / "app.svg", icons / f"{PACKAGE}.svg")
    doc = root / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copyfile(ROOT / "resources" / "fonts" / "LICENSE", doc / "fonts-LICENSE")
    normalize_modes(root)


def normalize_modes(root: Path) -> None:
    """Directories and executables 0755, other files 0644 (whatever the umask was)."""
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def installed_size_kib(root: Path) -> int:
    total = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() or p.is_symlink())
    return (total + 1023) // 1024


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def write_control(root: Path, version: str, depends: list[str]) -> None:
    control_dir = root / "DEBIAN"
    control_dir.mkdir()
    control = f"""\
Package: {PACKAGE}
Version: {version}
Section: misc
Priority: optional
Architecture: {architecture()}
Maintainer: {MAINTAINER}
Installed-Size: {installed_size_kib(root)}
Depends: {", ".join(depends)}
Homepage: https://example.com/sfa-desktop
Description: offline-first sales-force automation (desktop app and sfa command)
 SFA Desktop keeps a sales rep's accounts, contacts, visits, opportunities,
 quotes and forecasts on the laptop, works without a connection and syncs
 with the SFA sync server when online. The package holds the desktop app
 (sfa-desktop) and its command-line companion (sfa), with their own Python
 and Qt in /opt/sfa-desktop.
"""
    (control_dir / "control").write_text(control, encoding="utf-8")
    (control_dir / "control").chmod(0o644)
    control_dir.chmod(0o755)


def build_deb(root: Path, out: Path, version: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{version}_{architecture()}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "package", help="scratch")
    parser.add_argument("--bundle", type=Path, help="pack this PyInstaller output, do not build")
    args = parser.parse_args(argv)
    for tool in ("dpkg-deb", "dpkg", "ldd", "objdump"):
        if shutil.which(tool) is None:
            raise SystemExit(f"build_linux: `{tool}` is needed (Debian/Ubuntu: dpkg, binutils)")
    version = project_version()
    started = time.monotonic()
    if args.bundle is not None:
        bundle = args.bundle.resolve()
    else:
        say(f"PyInstaller: building {PACKAGE} {version} (a few minutes) …")
        bundle = run_pyinstaller(args.work.resolve())
    built = time.monotonic()
    say("working out the package's dependencies …")
    depends = debian_depends(bundle)
    root = args.work.resolve() / "root"
    stage(bundle, root)
    write_control(root, version, depends)
    say("packing the .deb …")
    deb = build_deb(root, args.out.resolve(), version)
    done = time.monotonic()
    say(
        f"bundle {built - started:.0f} s, package {done - built:.0f} s; "
        f"{deb.stat().st_size / 2**20:.1f} MiB, installed {installed_size_kib(root) / 1024:.0f} MiB"
    )
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
