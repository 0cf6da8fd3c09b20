/**
 * Install, uninstall and status of the host's registration for a list of targets (see targets.ts).
 * Install is idempotent (an identical manifest is left untouched) and checks every place first, so
 * a refusal for lack of rights changes nothing. Uninstall removes only our files and keys and the
 * folders that are left empty.
 */
import type { HostOs } from './browsers.ts';
import {
  buildHostManifest,
  HOST_DESCRIPTION,
  manifestText,
  parseHostManifest,
  type HostManifest,
} from './manifest.ts';
import { nodeManifestStore, type ManifestStore } from './manifestStore.ts';
import { RegistrationError } from './registrationError.ts';
import type { RegistrationTarget } from './targets.ts';
import { regExeRegistry, type RegistryAccess } from './windowsRegistry.ts';

export interface RegistrationContext {
  os: HostOs;
  store: ManifestStore;
  /** Windows only. */
  registry?: RegistryAccess;
}

export function registrationContext(os: HostOs): RegistrationContext {
  return { os, store: nodeManifestStore, ...(os === 'win32' ? { registry: regExeRegistry() } : {}) };
}

/** Decides whether an existing registration may be replaced or removed (the demo touches only its own). */
export type OwnershipCheck = (existing: HostManifest | undefined) => boolean;

export interface InstallRequest {
  /** The host binary the browsers will start (absolute). */
  hostPath: string;
  description?: string;
  replaceOnly?: OwnershipCheck;
}

export type InstallOutcome = 'written' | 'unchanged' | 'kept';
export type UninstallOutcome = 'removed' | 'absent' | 'kept';
/** registered: ours, naming hostPath; elsewhere: a valid registration naming another host binary. */
export type RegistrationState = 'registered' | 'elsewhere' | 'broken' | 'absent';

export interface TargetStatus {
  target: RegistrationTarget;
  state: RegistrationState;
  /** The manifest file the browser would read (on Windows: the one the registry names). */
  manifestPath?: string;
  /** The host binary that manifest names, and whether it exists. */
  hostPath?: string;
  hostExists?: boolean;
}

function registry(ctx: RegistrationContext): RegistryAccess {
  if (!ctx.registry) throw new RegistrationError('ERR_REGISTRATION_FAILED', 'no registry access on Windows');
  return ctx.registry;
}

/** Where the browser finds the manifest today, if anywhere. */
function currentManifestPath(target: RegistrationTarget, ctx: RegistrationContext): string | undefined {
  if (!target.registryKey) return ctx.store.exists(target.manifestPath) ? target.manifestPath : undefined;
  return registry(ctx).readDefault(target.registryKey);
}

function readExisting(target: RegistrationTarget, ctx: RegistrationContext): HostManifest | undefined {
  const file = currentManifestPath(target, ctx);
  const text = file === undefined ? undefined : ctx.store.read(file);
  return text === undefined ? undefined : parseHostManifest(target.family, text);
}

function checkRights(targets: readonly RegistrationTarget[], ctx: RegistrationContext): void {
  if (ctx.os === 'win32' && targets.some((t) => t.scope === 'system') && !registry(ctx).isElevated()) {
    throw new RegistrationError('ERR_REGISTRATION_NO_RIGHTS', 'HKLM');
  }
  const denied = targets.find((t) => !ctx.store.canWrite(t.manifestPath));
  if (denied) throw new RegistrationError('ERR_REGISTRATION_NO_RIGHTS', denied.manifestPath);
}

export function installHost(
  targets: readonly RegistrationTarget[],
  request: InstallRequest,
  ctx: RegistrationContext,
): Array<{ target: RegistrationTarget; outcome: InstallOutcome }> {
  checkRights(targets, ctx);
  return targets.map((target) => {
    if (request.replaceOnly && currentManifestPath(target, ctx) !== undefined) {
      if (!request.replaceOnly(readExisting(target, ctx))) return { target, outcome: 'kept' };
    }
    const text = manifestText(
      buildHostManifest(target.family, request.hostPath, request.description ?? HOST_DESCRIPTION),
    );
    let changed = false;
    if (ctx.store.read(target.manifestPath) !== text) {
      ctx.store.write(target.manifestPath, text);
      changed = true;
    }
    if (target.registryKey && registry(ctx).readDefault(target.registryKey) !== target.manifestPath) {
      registry(ctx).writeDefault(target.registryKey, target.manifestPath);
      changed = true;
    }
    return { target, outcome: changed ? 'written' : 'unchanged' };
  });
}

export function uninstallHost(
  targets: readonly RegistrationTarget[],
  ctx: RegistrationContext,
  removeOnly?: OwnershipCheck,
): Array<{ target: RegistrationTarget; outcome: UninstallOutcome }> {
  const present = targets.filter(
    (t) => currentManifestPath(t, ctx) !== undefined || ctx.store.exists(t.manifestPath),
  );
  checkRights(present, ctx);
  return targets.map((target) => {
    if (!present.includes(target)) return { target, outcome: 'absent' };
    if (removeOnly && !removeOnly(readExisting(target, ctx))) return { target, outcome: 'kept' };
    if (target.registryKey) registry(ctx).remove(target.registryKey);
    ctx.store.remove(target.manifestPath);
    ctx.store.pruneEmpty(dirname(ctx.os, target.manifestPath), target.pruneUpTo);
    return { target, outcome: 'removed' };
  });
}

export function hostStatus(
  targets: readonly RegistrationTarget[],
  ctx: RegistrationContext,
  expectedHostPath?: string,
): TargetStatus[] {
  return targets.map((target) => {
    const manifestPath = currentManifestPath(target, ctx);
    if (manifestPath === undefined) return { target, state: 'absent' };
    const text = ctx.store.read(manifestPath);
    const manifest = text === undefined ? undefined : parseHostManifest(target.family, text);
    if (!manifest) return { target, state: 'broken', manifestPath };
    const hostExists = ctx.store.exists(manifest.path);
    const ours = expectedHostPath === undefined || manifest.path === expectedHostPath;
    return {
      target,
      state: !hostExists ? 'broken' : ours ? 'registered' : 'elsewhere',
      manifestPath,
      hostPath: manifest.path,
      hostExists,
    };
  });
}

function dirname(os: HostOs, file: string): string {
  const cut =
    os === 'win32' ? Math.max(file.lastIndexOf('\\'), file.lastIndexOf('/')) : file.lastIndexOf('/');
  return cut <= 0 ? file : file.slice(0, cut);
}
