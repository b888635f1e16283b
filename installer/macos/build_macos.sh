#!/usr/bin/env bash
# Build "SFA Desktop.app" and a .dmg on macOS (11 or newer, Xcode command-line tools installed).
# NOT tested on this project's Linux machine: see installer/README.md for what to check.
#
#   installer/macos/build_macos.sh                 unsigned .app and .dmg (for testing)
#   SFA_CODESIGN_IDENTITY="Developer ID Application: Example S.L. (TEAMID)" \
#   SFA_NOTARY_PROFILE=sfa-notary installer/macos/build_macos.sh   signed, notarized, stapled
#
# Run from the repository root, with the project's virtual environment (.venv, made by
# `python3 dev.py setup`) holding PyInstaller.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
WORK=build/macos
DIST=$WORK/dist
APP="$DIST/SFA Desktop.app"
DMG="dist/SFA-Desktop-$VERSION.dmg"

# The icon: an .icns from the SVG (qlmanage renders SVG; iconutil packs the sizes).
ICONSET=$WORK/sfa-desktop.iconset
rm -rf "$ICONSET" && mkdir -p "$ICONSET"
qlmanage -t -s 1024 -o "$WORK" resources/icons/app.svg >/dev/null
for size in 16 32 128 256 512; do
  sips -z $size $size "$WORK/app.svg.png" --out "$ICONSET/icon_${size}x${size}.png" >/dev/null
  sips -z $((size * 2)) $((size * 2)) "$WORK/app.svg.png" \
    --out "$ICONSET/icon_${size}x${size}@2x.png" >/dev/null
done
iconutil -c icns "$ICONSET" -o "$WORK/sfa-desktop.icns"
export SFA_ICON="$PWD/$WORK/sfa-desktop.icns"

# The .app (installer/sfa.spec adds BUNDLE on macOS; it signs when SFA_CODESIGN_IDENTITY is set).
.venv/bin/python -m PyInstaller --noconfirm --clean --distpath "$DIST" --workpath "$WORK/build" \
  installer/sfa.spec
if [ -n "${SFA_CODESIGN_IDENTITY:-}" ]; then
  # the bundle as a whole, with the hardened runtime notarization requires
  codesign --force --options runtime --timestamp \
    --entitlements installer/macos/entitlements.plist \
    --sign "$SFA_CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
fi

# The .dmg: the app and a link to /Applications to drag it onto.
STAGE=$WORK/dmg
rm -rf "$STAGE" && mkdir -p "$STAGE" dist
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "SFA Desktop $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"

if [ -n "${SFA_CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$SFA_CODESIGN_IDENTITY" "$DMG"
fi
if [ -n "${SFA_NOTARY_PROFILE:-}" ]; then
  # once per machine: xcrun notarytool store-credentials sfa-notary --apple-id ... --team-id ...
  xcrun notarytool submit "$DMG" --keychain-profile "$SFA_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose "$DMG"
fi
echo "$DMG"
