Console.WriteLine("portability check: not built yet");
return 1;
