#!/bin/sh
# Alluxio's alluxio-stop.sh: the work is done by "alluxio stop", so an npm-installed CLI has it too.
set -e
self=$0
# Follow symlinks (npm's global bin links to this file) to the folder holding bin/alluxio.
while [ -L "$self" ]; do
  target=$(readlink "$self")
  case $target in
    /*) self=$target ;;
    *) self=$(dirname "$self")/$target ;;
  esac
done
exec "$(cd "$(dirname "$self")" && pwd -P)/alluxio" stop "$@"
