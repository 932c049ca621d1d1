/** The single-machine launcher: the engine CLI as a child process speaking the same NDJSON protocol. */
package io.ventiapi.runner.launch.local;
