#!/bin/sh
# Regenerates placeholder.jpg, the frame viewers see while the broadcast is paused or has no frame yet.
# Run from anywhere: sh server/assets/make-placeholder.sh (needs ffmpeg with drawtext and DejaVu Sans).
set -eu
here=$(dirname "$0")
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
ffmpeg -hide_banner -loglevel error -y -f lavfi -i color=c=0x202428:s=640x360 -frames:v 1 \
  -vf "drawtext=fontfile=$font:text='Broadcast paused':fontcolor=0xE8EAED:fontsize=40:x=(w-text_w)/2:y=(h-text_h)/2-12,drawtext=fontfile=$font:text='LanCam':fontcolor=0x9AA0A6:fontsize=20:x=(w-text_w)/2:y=(h/2)+30" \
  -q:v 3 "$here/placeholder.jpg"
