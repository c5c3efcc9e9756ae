import { circle, lens, Raster, stroke, union, without, type Rgba } from './raster';

/** The app's accent colour; the colour icon's background and the manifest's accentColor. */
export const ACCENT_COLOR = '#4F52B2';

const BACKGROUND: Rgba = [0x4f, 0x52, 0xb2, 255];
const EYE_WHITE: Rgba = [255, 255, 255, 255];
const IRIS: Rgba = [0x2b, 0x2e, 0x7a, 255];
const PUPIL: Rgba = [0x14, 0x14, 0x33, 255];
const AVAILABLE_GREEN: Rgba = [0x6b, 0xb7, 0x00, 255];
const WHITE: Rgba = [255, 255, 255, 255];

/** The 192×192 colour icon: an open eye with a green "Available" presence badge. */
export function drawColorIcon(): Buffer {
  const raster = new Raster(192);
  raster.paint(() => true, BACKGROUND);
  raster.paint(lens(90, 88, 132, 78), EYE_WHITE);
  raster.paint(circle(90, 88, 27), IRIS);
  raster.paint(circle(90, 88, 12), PUPIL);
  raster.paint(circle(99, 79, 6), EYE_WHITE);
  raster.paint(circle(138, 134, 31), BACKGROUND);
  raster.paint(circle(138, 134, 24), AVAILABLE_GREEN);
  raster.paint(union(stroke(127, 135, 135, 143, 6), stroke(135, 143, 150, 126, 6)), WHITE);
  return raster.encode();
}

/** The 32×32 outline icon: the same eye and badge, white on transparent. */
export function drawOutlineIcon(): Buffer {
  const raster = new Raster(32);
  raster.paint(without(lens(15, 14, 28, 17), lens(15, 14, 23, 12.5)), WHITE);
  raster.paint(circle(15, 14, 3.6), WHITE);
  raster.erase(circle(24.5, 23.5, 7.5));
  raster.paint(circle(24.5, 23.5, 5.5), WHITE);
  return raster.encode();
}
