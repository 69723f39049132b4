#!/usr/bin/env python3
"""Makes dog_cmyk.jpg, a CMYK JPEG (as print workflows and some cameras' editors write) of ../shared's dog.jpg
at half size, for the test that CMYK images are converted and not rejected. OpenCV cannot write CMYK, so the
small result is committed; this script says how it was made. Needs python3-pil.
Usage: make_cmyk_fixture.py PATH/TO/dog.jpg OUTPUT.jpg
"""
import sys

from PIL import Image

source, output = sys.argv[1], sys.argv[2]
image = Image.open(source).convert("RGB")
image = image.resize((image.width // 2, image.height // 2), Image.BILINEAR)
image.convert("CMYK").save(output, "JPEG", quality=80)
