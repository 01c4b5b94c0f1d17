/**
 * The adapter's mechanics: exec-chain handlers, the wrapped client, request copies with an
 * attempt's edits and the bounded reading of a retried response. Not exported.
 */
package dev.stoic.apache.internal;
