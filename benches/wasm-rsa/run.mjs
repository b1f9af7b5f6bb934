// node run.mjs <module.wasm> [args...]: runs a wasm32-wasip1 command module,
// then prints the process CPU time (user + system) spent in it, excluding
// compilation, to stderr.
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";
import { argv, env, cpuUsage, stderr } from "node:process";

const [file, ...args] = argv.slice(2);
const wasi = new WASI({ version: "preview1", args: [file, ...args], env });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const before = cpuUsage();
wasi.start(instance);
const used = cpuUsage(before);
stderr.write(`cpu_us ${used.user + used.system}\n`);
