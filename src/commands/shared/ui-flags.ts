// The inspector page's flags, shared by `inspect` and `listen --ui`: --ui-port, and the flags that need --ui.
import { UsageError } from '../../cli/errors.js';

export const DEFAULT_UI_PORT = 4141;

export function checkUiFlags(flags: { ui: boolean; uiPort?: number; open: boolean; allowRemoteReplay: boolean }) {
  if (!flags.ui) {
    for (const [flag, set] of [
      ['--ui-port', flags.uiPort !== undefined],
      ['--open', flags.open],
      ['--allow-remote-replay', flags.allowRemoteReplay],
    ] as const) {
      if (set) throw new UsageError(`${flag} works with --ui`, { hint: `add --ui to serve the inspector page` });
    }
  }
}
