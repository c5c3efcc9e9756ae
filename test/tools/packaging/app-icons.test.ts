import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ACCENT_COLOR, drawColorIcon, drawOutlineIcon } from '../../../tools/packaging/app-icons';
import {
  colorIconProblems,
  outlineIconProblems,
  pngSize,
} from '../../../tools/packaging/icon-checks';

const appPackageDir = path.join(__dirname, '..', '..', '..', 'appPackage');

describe('app-icons', () => {
  it('draws a 192x192 colour icon on the accent colour that is not a blank square', () => {
    const icon = drawColorIcon();
    assert.deepEqual(pngSize(icon), { width: 192, height: 192 });
    assert.deepEqual(colorIconProblems(icon), []);
    const corner = PNG.sync.read(icon).data.subarray(0, 3).toString('hex');
    assert.equal(`#${corner}`.toUpperCase(), ACCENT_COLOR);
  });

  it('draws a 32x32 outline icon of white and transparent pixels only', () => {
    const icon = drawOutlineIcon();
    assert.deepEqual(pngSize(icon), { width: 32, height: 32 });
    assert.deepEqual(outlineIconProblems(icon), []);
  });

  it('committed icons are the ones the script draws (run npm run icons after a change)', async () => {
    assert.ok((await readFile(path.join(appPackageDir, 'color.png'))).equals(drawColorIcon()));
    assert.ok((await readFile(path.join(appPackageDir, 'outline.png'))).equals(drawOutlineIcon()));
  });

  it('manifest accentColor matches the colour icon background', async () => {
    const manifest = JSON.parse(await readFile(path.join(appPackageDir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.accentColor, ACCENT_COLOR);
  });
});

describe('icon-checks', () => {
  it('rejects an outline icon with a coloured pixel', () => {
    const png = new PNG({ width: 32, height: 32 });
    png.data.fill(0);
    png.data.set([255, 255, 255, 255], 0);
    png.data.set([255, 0, 0, 128], 4);
    assert.deepEqual(outlineIconProblems(PNG.sync.write(png)), [
      'outline icon has 1 pixels that are neither white nor transparent',
    ]);
  });

  it('rejects a blank colour icon and a wrong size', () => {
    const png = new PNG({ width: 96, height: 96 });
    png.data.fill(200);
    assert.deepEqual(colorIconProblems(PNG.sync.write(png)), [
      'color icon is 96x96, not 192x192',
      'color icon has fewer than 3 colours: it is a blank square',
    ]);
  });
});
