/**
 * Doctor's checks for the browsers found on this machine: is the host registered for each, and
 * where (the manifest the browser reads goes in `detail`). A browser that would not reach this
 * host is a warning, as is a Snap or Flatpak browser, which cannot start a host at all.
 */
import type { RegistrationSurvey } from '../../../installers/registration/index.ts';
import type { DoctorCheck } from './diagnose.ts';

const PROBLEMS = {
  elsewhere: 'check.browser.elsewhere',
  broken: 'check.browser.broken',
  absent: 'check.browser.absent',
} as const;

export function registrationChecks(survey: RegistrationSurvey): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const { browser, statuses } of survey.browsers) {
    const base = { id: 'browser-registration', title: 'check.browser', browser } as const;
    const registered = statuses.filter((s) => s.state === 'registered');
    if (registered.length > 0) {
      checks.push({ ...base, severity: 'ok', detail: registered.map((s) => s.manifestPath).join(', ') });
      continue;
    }
    // The most telling finding first: another binary, then a damaged registration, then none.
    const worst = (['elsewhere', 'broken', 'absent'] as const).find((state) =>
      statuses.some((s) => s.state === state),
    )!;
    const found = statuses.find((s) => s.state === worst);
    checks.push({
      ...base,
      severity: 'warning',
      problem: PROBLEMS[worst],
      fix: 'fix.registerHost',
      ...(found?.manifestPath
        ? { detail: `${found.manifestPath}${found.hostPath ? ` → ${found.hostPath}` : ''}` }
        : {}),
    });
  }
  for (const sandboxed of survey.sandboxed) {
    checks.push({
      id: 'sandboxed-browser',
      severity: 'warning',
      title: 'check.browser',
      browser: `${sandboxed.browser} (${sandboxed.packaging})`,
      problem: 'check.browser.sandboxed',
      fix: 'fix.sandboxedBrowser',
      detail: sandboxed.where,
    });
  }
  return checks;
}
