/**
 * Core's internal bridges between its packages (budget accounting for the engine). Not exported:
 * nothing here is API.
 */
package dev.stoic.internal;
