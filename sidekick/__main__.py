from sidekick.cli import main

main()
