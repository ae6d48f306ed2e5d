using SmartSeal.Demo;

// What ./scripts/run.sh starts until the cloud host exists: a guided walk through provisioning,
// signed device messages, replay protection and the flash outbox, using the real protocol and
// firmware code.
return ProtocolTour.Run(args);
