#!/usr/bin/python3
"""A real RTSP server for tests and benchmarks (gst-rtsp-server through python3-gi), on 127.0.0.1 only.

    rtsp_server.py PORT FPS MOUNT=FRAMES_PATTERN [MOUNT=FRAMES_PATTERN ...]

Each mount (e.g. cam) serves a numbered JPEG sequence from 0 (e.g. /tmp/scene/frame%05d.jpg) in a loop at FPS, encoded to
H.264 live (x264, one keyframe a second), so a clip never ends and every client sees the same moving picture.
Clients of one mount share one pipeline. Prints "READY rtsp://127.0.0.1:PORT" once listening.
"""
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> None:
    port, fps, mounts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    for mount in mounts:
        name, pattern = mount.split("=", 1)
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            f'( multifilesrc location="{pattern}" start-index=0 loop=true caps="image/jpeg,framerate={fps}/1" ! jpegdec ! videoconvert '
            f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=1500 "
            f"! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
        )
        factory.set_shared(True)
        server.get_mount_points().add_factory("/" + name, factory)
    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{port}", file=sys.stderr, flush=True)
        sys.exit(2)
    loop = GLib.MainLoop()
    signal.signal(signal.SIGTERM, lambda *_: loop.quit())
    print(f"READY rtsp://127.0.0.1:{port}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
