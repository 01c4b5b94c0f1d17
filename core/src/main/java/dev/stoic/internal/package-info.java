/**
 * Stoic's implementation details: not API, may change in any release without notice.
 *
 * <p>The core jar is an automatic module, so this package cannot be hidden from other code; do not
 * depend on it.
 */
package dev.stoic.internal;
