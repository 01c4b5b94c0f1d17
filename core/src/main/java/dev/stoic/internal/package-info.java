/**
 * Core's internal bridges between its packages: budget accounting for the engine, and the
 * policy's parts that the configuration package reads and writes. Not exported:
 * nothing here is API.
 */
package dev.stoic.internal;
