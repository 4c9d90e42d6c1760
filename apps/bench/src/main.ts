#!/usr/bin/env node
import { runBench } from './run-bench.js';

process.exitCode = await runBench(process.argv.slice(2));
