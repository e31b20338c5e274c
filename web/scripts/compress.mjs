// Writes a gzip twin (x.js.gz) beside every text file of the build, which patrond sends to
// browsers that accept gzip. node:zlib at its highest level, once per build.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants } from "node:zlib";

const compressible = /\.(html|js|css|svg|json|webmanifest|txt|yaml)$/;

function compress(directory) {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) {
      compress(path);
    } else if (compressible.test(name)) {
      const bytes = readFileSync(path);
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }));
    }
  }
}

const directory = process.argv[2];
if (!directory) throw new Error("usage: compress.mjs DIRECTORY");
compress(directory);
