// V8 settings for a process that serves requests. Imported first by main.ts, before any other
// module has run, so that they hold from the first allocation.
//
// Allocation-site pretenuring: when a scavenge finds most objects from one allocation site still
// alive, V8 allocates that site's later objects straight in the old generation. In a server the
// sites that build a response (rows, records, connection objects) are all alive whenever a
// scavenge lands in the middle of a request, so V8 pretenures them; but they die with the
// request. Dead old objects then keep the young objects they point to alive through every
// scavenge until the next full collection, and those are promoted in turn: a large nested read
// spent a quarter of its CPU time in scavenges copying megabytes of garbage (BENCHMARKS.md,
// "Nested reads"). Without pretenuring every request's garbage dies young, where it is cheapest.
import v8 from "node:v8";

v8.setFlagsFromString("--no-allocation-site-pretenuring");
