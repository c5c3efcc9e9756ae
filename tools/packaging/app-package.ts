import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { AppError } from '../../src/errors/app-error';
import { colorIconProblems, outlineIconProblems } from './icon-checks';
import { manifestErrors, type BotManifest } from './manifest-checks';
import { jsonStringEncoder, resolvePlaceholders } from './placeholders';

/** The files a Teams app package holds, and nothing else. */
export const APP_PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

/** A built, validated Teams app package. */
export interface AppPackage {
  readonly manifest: BotManifest;
  readonly zip: Buffer;
}

const FIXED_DATE = new Date('2025-01-01T00:00:00Z');

/** Resolves the placeholders in `<appPackageDir>/manifest.json` from `values` and parses it. */
export async function resolveManifest(
  appPackageDir: string,
  values: Readonly<Record<string, string | undefined>>,
): Promise<BotManifest> {
  const template = await readFile(path.join(appPackageDir, 'manifest.json'), 'utf8');
  return JSON.parse(resolvePlaceholders(template, values, jsonStringEncoder)) as BotManifest;
}

/** Builds the package zip, failing with APP_PACKAGE_INVALID on any manifest or icon problem. */
export async function buildAppPackage(
  appPackageDir: string,
  values: Readonly<Record<string, string | undefined>>,
): Promise<AppPackage> {
  const manifest = await resolveManifest(appPackageDir, values);
  const color = await readFile(path.join(appPackageDir, 'color.png'));
  const outline = await readFile(path.join(appPackageDir, 'outline.png'));
  const problems = [
    ...(await manifestErrors(manifest)),
    ...iconNameProblems(manifest),
    ...colorIconProblems(color),
    ...outlineIconProblems(outline),
  ];
  if (problems.length > 0) throw new AppError('APP_PACKAGE_INVALID', problems.join('; '));
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date: FIXED_DATE });
  zip.file('color.png', color, { date: FIXED_DATE });
  zip.file('outline.png', outline, { date: FIXED_DATE });
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { manifest, zip: buffer };
}

/** Writes `appPackage/build/appPackage.<env>.zip` and returns its path. */
export async function writeAppPackage(
  appPackageDir: string,
  env: string,
  appPackage: AppPackage,
): Promise<string> {
  const buildDir = path.join(appPackageDir, 'build');
  await mkdir(buildDir, { recursive: true });
  const file = path.join(buildDir, `appPackage.${env}.zip`);
  await writeFile(file, appPackage.zip);
  return file;
}

function iconNameProblems(manifest: BotManifest): string[] {
  const icons = manifest.icons;
  return icons?.color === 'color.png' && icons.outline === 'outline.png'
    ? []
    : ['icons must be color.png and outline.png'];
}
