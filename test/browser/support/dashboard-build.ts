import path from "node:path";
import { PACKAGE_ROOT } from "../../../src/package-root.js";

/**
 * Where the browser tests build the dashboard: a folder of their own, so that `npm run build`
 * (which other test files run, and which empties dist/ui first) never changes it under them.
 */
export const DASHBOARD_TEST_BUILD = path.join(PACKAGE_ROOT, "test-results/dashboard-build");
