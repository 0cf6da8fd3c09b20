/**
 * For `doctor`: which browsers this user has, and where the host is registered for each (this
 * user's and the machine-wide registration). A browser counts as found when its user data folder
 * exists (Linux, macOS) or when any registration for it exists.
 */
import path from 'node:path';
import { BROWSERS, type BrowserId, type HostOs } from './browsers.ts';
import { hostStatus, type RegistrationContext, type TargetStatus } from './registrar.ts';
import { findSandboxedBrowsers, type SandboxedBrowser } from './sandboxed.ts';
import { resolveTargets, type RegistrationEnv } from './targets.ts';

export interface BrowserRegistration {
  browser: BrowserId;
  /** This user's registration and the machine-wide one (absent where a scope has no documented place). */
  statuses: TargetStatus[];
}

export interface RegistrationSurvey {
  browsers: BrowserRegistration[];
  sandboxed: SandboxedBrowser[];
}

export function surveyRegistrations(
  os: HostOs,
  env: RegistrationEnv,
  ctx: RegistrationContext,
  expectedHostPath?: string,
): RegistrationSurvey {
  const browsers: BrowserRegistration[] = [];
  for (const browser of BROWSERS) {
    const user = resolveTargets(os, 'user', [browser], env).targets;
    const system = resolveTargets(os, 'system', [browser], env).targets;
    const statuses = hostStatus([...user, ...system], ctx, expectedHostPath);
    const userData = os === 'win32' ? [] : user.map((t) => path.dirname(path.dirname(t.manifestPath)));
    const found = statuses.some((s) => s.state !== 'absent') || userData.some((dir) => ctx.store.exists(dir));
    if (found) browsers.push({ browser, statuses });
  }
  return { browsers, sandboxed: findSandboxedBrowsers(os, env) };
}
