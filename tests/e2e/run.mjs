// Runs the end-to-end test files one after another (each starts its own Chromium; in parallel they
// would compete for two cores). `node --test-concurrency` would do this, but Debian 12's Node 18
// does not have it.

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".test.mjs")).sort();
const failed = [];
for (const file of files) {
  const r = spawnSync(process.execPath, ["--test", join(dir, file)], { stdio: "inherit" });
  if (r.status !== 0) failed.push(file);
}
if (failed.length) {
  console.error(`e2e: failed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log(`e2e: ${files.length} test files passed`);
