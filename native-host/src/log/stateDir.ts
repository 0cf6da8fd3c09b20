/** Where the host keeps its logs, per OS (a user-writable state folder, never the install folder). */
import { homedir } from 'node:os';
import path from 'node:path';

export function defaultLogDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CARDBRIDGE_LOG_DIR) return env.CARDBRIDGE_LOG_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  switch (platform) {
    case 'win32':
      return path.win32.join(
        env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'),
        'CardBridge',
        'Logs',
      );
    case 'darwin':
      return path.posix.join(home, 'Library', 'Logs', 'CardBridge');
    default:
      return path.posix.join(env.XDG_STATE_HOME ?? path.posix.join(home, '.local', 'state'), 'cardbridge');
  }
}
