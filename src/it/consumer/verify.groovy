// The check must not pass by not running: the dependency rule and the consumer's tests both show in its log.
def log = new File(basedir, 'build.log').text
assert log.contains('BannedDependencies passed') : 'the banned-dependencies rule did not run'
assert log =~ /Tests run: [1-9]\d*, Failures: 0, Errors: 0, Skipped: 0/ : 'the consumer tests did not run'
return true
