// Injected into every entry point of the CLI bundle by scripts/bundle.mjs (see `inject` there): main's static graph.
import '../src/cli/main.ts';
