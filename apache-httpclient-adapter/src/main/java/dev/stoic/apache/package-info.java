/**
 * Stoic for Apache HttpClient 5: {@link dev.stoic.apache.StoicApache} puts the policy engine in a
 * classic or async client's exec chain, or around a built classic client.
 */
package dev.stoic.apache;
