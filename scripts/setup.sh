#!/usr/bin/env bash
# Idempotent machine setup for SmartSeal on Debian: installs only what is missing.
# Called by scripts/run.sh and scripts/test.sh; safe to run any number of times.
set -euo pipefail

# Debian packages the product and its tests use. Each component adds its own here.
APT_PACKAGES=(
  # cloud tests: external-broker mode and the PostgreSQL storage (scripts/services.sh starts them)
  mosquitto
  mosquitto-clients   # mosquitto_pub/mosquitto_sub: broker tests with a client the project did not write
  postgresql
  libgtk-3-0   # OpenCV's native library (cloud photo thumbnails) links against it
  # document check (cloud Documents/): OCR of page photos; tests render PDFs with a CJK font
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng poppler-utils fonts-droid-fallback
  fonts-wqy-microhei   # CJK font the ledger's PDF exports embed (Reports/CjkFontResolver)
  chromium     # the portal's browser tests (Playwright drives /usr/bin/chromium)
  chromium-l10n  # Chromium's locale resources: without them --lang=zh-CN draws date inputs in English (DateInputLanguageTests)
  ffmpeg       # stamping video: the Linux cabinet records clips (V4L2/RTSP); tests use its test-pattern source
  softhsm2     # e-seals (Seals/Electronic): the PKCS#11 token seal keys live on in development and tests
  qpdf         # e-seal tests check sealed PDFs with a checker the project did not write
  cups-daemon  # e-seal remote print (ESealing/PrintQueue): the tests run a private cupsd with a file-device queue
  cups-client  # lp, lpadmin, lpstat: remote print submits copies with lp
)

# Node.js for the npm tools below (Debian's, unless a node is already installed).
if ! command -v node >/dev/null 2>&1; then
  APT_PACKAGES+=(nodejs npm)
fi

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then echo sudo; else
      echo "setup: need root (or sudo) to install: $*" >&2; exit 1
    fi
  fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=$(need_root "${missing[@]}")
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (dotnet) is required; see README.md" >&2
  exit 1
fi

# npm tools the tests start, each pinned by its package-lock.json: reinstalled only when missing
# or when the lock changed. Azurite (Azure Storage emulator) for the photo store's blob backend;
# the portal's browser libraries (Leaflet), which the cloud serves as static files.
# face-api.js (edge-face-gate/tools/face-api-reference): the reference run of dlib's recogniser that its
# converted ONNX graph is checked against (MODELS.md). TensorFlow.js (edge-face-gate/tools/tfjs-graph-reference):
# the reference run of the MediaPipe face mesh graph model that its converted ONNX graph is checked against.
NPM_TOOLS=(tools/azurite cloud/SmartSeal.Cloud/Portal/Client edge-face-gate/tools/face-api-reference edge-face-gate/tools/tfjs-graph-reference)
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in "${NPM_TOOLS[@]}"; do
  dir="$repo_root/$tool"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: installing npm packages in $tool"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
done

# Model files shipped in an npm package: fetched with `npm pack` into an ignored folder (with the
# package's LICENSE) only when a file listed in the hash file is missing or differs; a download that
# does not match the hash file stops setup.
# Usage: install_npm_models <package@version> <folder> <hash file> <what> [folder inside the package, default model]
install_npm_models() {
  local package="$1" folder="$2" hashes="$3" what="$4" inside="${5:-model}"
  if (cd "$folder" 2>/dev/null && sha256sum --quiet -c "$hashes" >/dev/null 2>&1); then
    return 0
  fi
  echo "setup: fetching $what ($package) into $folder"
  mkdir -p "$folder"
  local fetch_dir
  fetch_dir="$(mktemp -d)"
  (cd "$fetch_dir" && npm pack "$package" --silent --no-audit --no-fund >/dev/null)
  tar -xzf "$fetch_dir"/*.tgz -C "$fetch_dir" package
  while read -r _ model_file; do
    cp "$fetch_dir/package/$inside/$model_file" "$folder/$model_file"
  done < "$hashes"
  if [ -f "$fetch_dir/package/LICENSE" ]; then cp "$fetch_dir/package/LICENSE" "$folder/LICENSE"; fi
  rm -rf "$fetch_dir"
  (cd "$folder" && sha256sum --quiet -c "$hashes") || {
    echo "setup: $what hashes do not match $hashes" >&2; exit 1; }
}

# Face models for edge-face-gate (DESIGN.md §8): the ONNX files of the npm package below, checked
# against edge-face-gate/models.sha256. SMARTSEAL_FACE_MODELS moves the folder.
install_npm_models faceplugin-face-recognition-js@0.0.1 \
  "${SMARTSEAL_FACE_MODELS:-$repo_root/.models/faceplugin-face-recognition-js-0.0.1}" \
  "$repo_root/edge-face-gate/models.sha256" "face models"

# dlib's face recogniser (dlib_face_recognition_resnet_model_v1, public domain) as TensorFlow.js
# weights: face-api.js's port, shipped by the npm package @vladmandic/face-api (MIT; face-api.js
# itself no longer ships weights in its npm package). The gate converts them to ONNX when it loads
# them (Conversion/DlibResNetGraph); `--embedder dlib`, MODELS.md. SMARTSEAL_DLIB_MODELS moves the folder.
install_npm_models @vladmandic/face-api@1.7.15 \
  "${SMARTSEAL_DLIB_MODELS:-$repo_root/.models/face-api-dlib-resnet}" \
  "$repo_root/edge-face-gate/models-dlib.sha256" "the dlib face recogniser"

# Google MediaPipe's Face Mesh landmark model (468 points, Apache-2.0) as a TensorFlow.js graph
# model, shipped by the npm package @vladmandic/human (MIT wrapper; the model's json names
# google/mediapipe as its generator, MODELS.md checks the weights against Google's tflite file). The
# gate converts it to ONNX when it loads it (Conversion/TfjsGraphConverter); `--landmarks facemesh`.
# SMARTSEAL_FACEMESH_MODELS moves the folder.
install_npm_models @vladmandic/human@3.3.6 \
  "${SMARTSEAL_FACEMESH_MODELS:-$repo_root/.models/human-facemesh}" \
  "$repo_root/edge-face-gate/models-facemesh.sha256" "the MediaPipe face mesh" models

# OpenCV Zoo's YuNet detector (MIT), optional: `--detector yunet` of the face gate's evaluate,
# evaluate-liveness, analyse and benchmark. No package registry reachable here ships it, so the
# verified 232 KB file is kept in edge-face-gate/third-party/yunet/ with its licence (MODELS.md says
# where it comes from); $SMARTSEAL_YUNET_SOURCE points elsewhere. Whatever the source, the file
# must have the SHA-256 of the zoo's Git LFS pointer (edge-face-gate/models-yunet.sha256).
yunet_models="${SMARTSEAL_YUNET_MODELS:-$repo_root/.models/opencv-zoo-yunet}"
yunet_hashes="$repo_root/edge-face-gate/models-yunet.sha256"
yunet_file="$(awk '{print $2}' "$yunet_hashes")"
yunet_source="${SMARTSEAL_YUNET_SOURCE:-$repo_root/edge-face-gate/third-party/yunet/$yunet_file}"
if ! (cd "$yunet_models" 2>/dev/null && sha256sum --quiet -c "$yunet_hashes" >/dev/null 2>&1); then
  if [ -f "$yunet_source" ]; then
    mkdir -p "$yunet_models"
    cp "$yunet_source" "$yunet_models/$yunet_file"
    (cd "$yunet_models" && sha256sum --quiet -c "$yunet_hashes") || {
      rm -f "$yunet_models/$yunet_file"
      echo "setup: $yunet_source does not have the SHA-256 in $yunet_hashes; not installed" >&2; exit 1; }
    echo "setup: installed the YuNet detector from $yunet_source"
  else
    echo "setup: optional YuNet detector not installed ($yunet_source is missing; see edge-face-gate/MODELS.md)"
  fi
fi

# The admin CLI as the READMEs name it (`smartseal devices list`, ...): a link to scripts/smartseal
# in /usr/local/bin when writable, else ~/.local/bin (SMARTSEAL_BIN_DIR moves it). A link that
# already points at another checkout is left alone.
bin_dir="${SMARTSEAL_BIN_DIR:-}"
if [ -z "$bin_dir" ]; then
  if [ -w /usr/local/bin ]; then bin_dir=/usr/local/bin; else bin_dir="$HOME/.local/bin"; fi
fi
cli_link="$bin_dir/smartseal"
if [ ! -e "$cli_link" ]; then
  mkdir -p "$bin_dir"
  ln -sfn "$repo_root/scripts/smartseal" "$cli_link"
  echo "setup: installed the admin CLI as $cli_link"
  case ":$PATH:" in *":$bin_dir:"*) ;; *) echo "setup: add $bin_dir to PATH to call it as smartseal" ;; esac
fi
