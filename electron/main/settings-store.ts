// Settings persisted as JSON in the user-data folder: validated per field on load, written atomically.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../ipc.ts';
import { settingDefaults } from '../settings-limits.ts';
import { isSettingsKey, optionalSettingsKeys, settingsFieldGuards } from './validate.ts';

export const settingsFileName = 'settings.json';

/**
 * 128 random bits, base64url: URL-safe and above the ≥ 96-bit floor the viewers' key must have. Draws that
 * start with '-' are redrawn: users paste this key into `lancam serve --key K`, where a leading '-' reads as
 * an option.
 */
export function newAccessKey(): string {
  for (;;) {
    const key = randomBytes(16).toString('base64url');
    if (!key.startsWith('-')) return key;
  }
}

export function defaultSettings(): Settings {
  return { ...settingDefaults, accessKey: newAccessKey() };
}

export interface LoadedSettings {
  readonly settings: Settings;
  /** One line per field that was missing or invalid (empty for a clean file or a first run). */
  readonly problems: readonly string[];
  /** Where the damaged file was copied before it gets rewritten, or null. */
  readonly backupPath: string | null;
  /** False on a first run (no file yet). */
  readonly existed: boolean;
}

/** Takes each valid field from `raw` and the default for every other one. */
export function mergeWithDefaults(raw: unknown): { settings: Settings; problems: string[] } {
  const defaults = defaultSettings();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { settings: defaults, problems: ['not a JSON object'] };
  }
  const source = raw as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...defaults };
  const problems: string[] = [];
  for (const key of Object.keys(settingsFieldGuards) as (keyof Settings)[]) {
    if (!(key in source)) {
      if (!optionalSettingsKeys.includes(key)) problems.push(`${key}: missing`);
    } else if (!settingsFieldGuards[key](source[key])) problems.push(`${key}: invalid value`);
    else merged[key] = source[key];
  }
  for (const key of Object.keys(source)) if (!isSettingsKey(key)) problems.push(`${key}: unknown`);
  return { settings: merged as unknown as Settings, problems };
}

/** Reads the file; never throws for a missing, unreadable-as-JSON or partly invalid file. */
export async function loadSettings(filePath: string): Promise<LoadedSettings> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { settings: defaultSettings(), problems: [], backupPath: null, existed: false };
    }
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const { settings, problems } =
    raw === undefined
      ? { settings: defaultSettings(), problems: ['not valid JSON'] }
      : mergeWithDefaults(raw);
  if (problems.length === 0) return { settings, problems, backupPath: null, existed: true };
  // Keep the user's file as it was: a hand edit gone wrong can be recovered from it.
  const backupPath = `${filePath}.${new Date().toISOString().replaceAll(':', '-')}.bak`;
  await copyFile(filePath, backupPath);
  return { settings, problems, backupPath, existed: true };
}

/** Write to a temp file in the same folder, flush it, then rename over the target: never a half-written file. */
export async function saveSettings(filePath: string, settings: Settings): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const temp = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(settings, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, filePath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export interface SettingsStore {
  readonly filePath: string;
  get(): Settings;
  /** Applies an already validated patch, persists it, and returns the new settings. */
  update(patch: Partial<Settings>): Promise<Settings>;
}

/**
 * Loads (repairing and backing up a damaged file) and returns the store. The file is rewritten at once
 * when anything was defaulted, so a first-run access key stays the same on the next launch.
 */
export async function openSettingsStore(
  folder: string,
  log: (message: string) => void = () => undefined,
): Promise<SettingsStore> {
  const filePath = path.join(folder, settingsFileName);
  const loaded = await loadSettings(filePath);
  if (loaded.problems.length > 0) {
    log(
      `settings: ${loaded.problems.join('; ')}; defaults used for those (backup: ${loaded.backupPath ?? '-'})`,
    );
  }
  let current = loaded.settings;
  // Writes are chained so two quick updates cannot interleave their temp files and renames.
  let writing: Promise<void> = Promise.resolve();
  const persist = (settings: Settings): Promise<void> => {
    writing = writing.catch(() => undefined).then(() => saveSettings(filePath, settings));
    return writing;
  };
  if (loaded.problems.length > 0 || !loaded.existed) await persist(current);
  return {
    filePath,
    get: () => current,
    async update(patch) {
      current = { ...current, ...patch };
      await persist(current);
      return current;
    },
  };
}
