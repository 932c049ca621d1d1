/**
 * Encryption at rest for secrets the platform must read back (signing keys, project identities):
 * AES-256-GCM under the operator's master key, each ciphertext bound to its row by associated data.
 */
package io.ventiapi.platform.crypto;
