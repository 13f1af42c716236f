#!/usr/bin/env bash
# Renders the PNG icons (hicolor sizes) from app-inspector.svg. Needs ImageMagick with SVG
# support. The PNGs are committed, so building the package does not need this.
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256 512; do
  convert -background none -density 384 app-inspector.svg -resize "${size}x${size}" -strip "hicolor/${size}x${size}.png"
done
